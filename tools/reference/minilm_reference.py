"""Independent reference for llmrec's item LLM: all-MiniLM-L6-v2 sentence embeddings in numpy.

Numpy and the standard library only (no torch, transformers, tokenizers or safetensors):
it parses model.safetensors itself, tokenizes with its own BERT uncased tokenizer
(Devlin et al. 2019: basic tokenization, then greedy longest-match-first WordPiece,
Wu et al. 2016), runs the post-LayerNorm BERT encoder in float64, mean-pools over the tokens
and L2-normalises, as sentence-transformers does for this model. Writes the JSON fixture that
Tests/ItemLLMTests compares llmrec's tokenizer and encoder against:

    python3 tools/reference/minilm_reference.py [MODEL_DIR] [OUTPUT]

MODEL_DIR defaults to Data/minilm (`make setup`), OUTPUT to
Tests/ItemLLMTests/Fixtures/minilm_reference.json.

Tokenizer choices where BERT implementations differ: a "control" character is any
category-C code point other than tab, newline and carriage return (as in the Hugging Face
tokenizers this model ships with; Google's original drops only Cc and Cf); whitespace is
tab, newline, carriage return and categories Zs, Zl, Zp (what str.split() splits on once
control characters are gone); lower-casing maps each character on its own (full Unicode
mappings but no final-sigma context, as the Hugging Face tokenizers do; Python's str.lower on a
whole word would turn a word-final capital sigma into ς rather than σ).
"""
import json
import math
import struct
import sys
import unicodedata
from pathlib import Path

import numpy as np

MAX_LENGTH = 128
MAX_WORD_CHARACTERS = 100

CASES = [
    "A man is playing a guitar on stage.",
    "Someone plays an acoustic guitar in front of an audience.",
    "The stock market fell sharply after the interest rate announcement.",
    "Title: Toy Story. Year: 1995. Genres: Animation, Children's, Comedy.",
    "Title: City of Lost Children, The (Cité des enfants perdus, La). Year: 1995. Genres: Adventure, Sci-Fi.",
    "Amélie, Pokémon and a naïve café in São Paulo; ΟΔΥΣΣΕΥΣ",
    "iPhone 12 Pro Max, 256GB (Pacific Blue) - $1,099.99",
    "Hello!!! What?! ...yes -- 'quoted' \"double\" [brackets] {braces} <tag> a+b=c 50% #1 @user ~tilde^",
    "unaffable embeddings tokenization",
    "千と千尋の神隠し Spirited Away 한국어",
    "I love it 😀👍🏽 ❤️ great😀 Sony™ © 2020 €5 ½",
    "Tab\there\nnew line\r\n\x00null\u200bzero-width\x07bell \ufffd replacement\u00a0nbsp\ue000private\u2028end",
    "Brand: Logitech. Categories: Electronics > Computers & Accessories > Mice. "
    "Title: Logitech M510 Wireless Mouse – Black. Description: Comfortable, contoured shape with "
    "soft rubber grips; 2-year battery life (AA×2).",
    "",
    "Supercalifragilisticexpialidocious" + "x" * 80 + " is a word of 114 characters.",
    "Title: The Lord of the Rings: The Fellowship of the Ring (Extended Edition). Brand: New Line. "
    "Categories: Movies & TV > Fantasy > Adventure. Description: In the first part of the trilogy, "
    "the young hobbit Frodo Baggins inherits a ring from his uncle Bilbo. The wizard Gandalf learns "
    "that it is the One Ring of the Dark Lord Sauron, and Frodo sets out with eight companions "
    "(Sam, Merry, Pippin, Aragorn, Boromir, Legolas, Gimli and Gandalf) to destroy it in the fires "
    "of Mount Doom, crossing the mines of Moria, the elven woods of Lothlórien and the great river "
    "Anduin. Extended edition with 30 minutes of new scenes, commentaries, and behind-the-scenes "
    "documentaries; 4 discs, widescreen, English/Spanish/French subtitles.",
]


# --- safetensors -------------------------------------------------------------------------------

DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4"}


def read_safetensors(path):
    """Every tensor of a .safetensors file, as float64 numpy arrays keyed by name."""
    raw = Path(path).read_bytes()
    (header_length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + header_length].decode("utf-8"))
    base = 8 + header_length
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        data = raw[base + start:base + end]
        if entry["dtype"] == "BF16":
            bits = np.frombuffer(data, dtype="<u2").astype(np.uint32) << 16
            values = bits.view(np.float32)
        else:
            values = np.frombuffer(data, dtype=DTYPES[entry["dtype"]])
        tensors[name] = values.astype(np.float64).reshape(entry["shape"])
    return tensors


# --- tokenizer ---------------------------------------------------------------------------------

def is_control(character):
    if character in "\t\n\r":
        return False
    return unicodedata.category(character).startswith("C")


def is_whitespace(character):
    return character in " \t\n\r" or unicodedata.category(character) in ("Zs", "Zl", "Zp")


def is_punctuation(character):
    code = ord(character)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(character).startswith("P")


def is_cjk_ideograph(code):
    """The CJK Unified Ideographs blocks BERT pads with spaces (not kana or hangul)."""
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2A6DF
            or 0x2A700 <= code <= 0x2B73F or 0x2B740 <= code <= 0x2B81F or 0x2B820 <= code <= 0x2CEAF
            or 0xF900 <= code <= 0xFAFF or 0x2F800 <= code <= 0x2FA1F)


def basic_tokenize(text):
    """Clean, space CJK ideographs, split on whitespace, lower-case, strip accents, split punctuation."""
    cleaned = []
    for character in text:
        code = ord(character)
        if code == 0 or code == 0xFFFD or is_control(character):
            continue
        if is_whitespace(character):
            cleaned.append(" ")
        elif is_cjk_ideograph(code):
            cleaned.append(" " + character + " ")
        else:
            cleaned.append(character)
    words = []
    for word in "".join(cleaned).split(" "):
        if not word:
            continue
        word = "".join(character.lower() for character in word)
        word = "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")
        current = ""
        for character in word:
            if is_punctuation(character):
                if current:
                    words.append(current)
                words.append(character)
                current = ""
            else:
                current += character
        if current:
            words.append(current)
    return words


def wordpiece(word, vocabulary):
    """Greedy longest-match-first segmentation into vocabulary pieces; ["[UNK]"] when impossible."""
    if len(word) > MAX_WORD_CHARACTERS:
        return ["[UNK]"]
    pieces = []
    start = 0
    while start < len(word):
        end = len(word)
        piece = None
        while start < end:
            candidate = word[start:end] if start == 0 else "##" + word[start:end]
            if candidate in vocabulary:
                piece = candidate
                break
            end -= 1
        if piece is None:
            return ["[UNK]"]
        pieces.append(piece)
        start = end
    return pieces


def tokenize(text, vocabulary, max_length):
    """[CLS] + word pieces + [SEP], the pieces truncated so that the total is at most max_length."""
    pieces = [piece for word in basic_tokenize(text) for piece in wordpiece(word, vocabulary)]
    return ["[CLS]"] + pieces[:max_length - 2] + ["[SEP]"]


# --- encoder -----------------------------------------------------------------------------------

def layer_norm(x, weight, bias, eps):
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + eps) * weight + bias


def linear(x, weights, name):
    return x @ weights[name + ".weight"].T + weights[name + ".bias"]


erf = np.vectorize(math.erf)


def gelu(x):
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def softmax(x):
    shifted = np.exp(x - x.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def encode(ids, weights, config):
    """The L2-normalised mean of BERT's last hidden states over the tokens of one sentence."""
    eps = config["layer_norm_eps"]
    heads = config["num_attention_heads"]
    width = config["hidden_size"] // heads
    count = len(ids)
    x = (weights["embeddings.word_embeddings.weight"][ids]
         + weights["embeddings.position_embeddings.weight"][:count]
         + weights["embeddings.token_type_embeddings.weight"][0])
    x = layer_norm(x, weights["embeddings.LayerNorm.weight"], weights["embeddings.LayerNorm.bias"], eps)
    for layer in range(config["num_hidden_layers"]):
        prefix = f"encoder.layer.{layer}."

        def split_heads(y):
            return y.reshape(count, heads, width).transpose(1, 0, 2)

        q = split_heads(linear(x, weights, prefix + "attention.self.query"))
        k = split_heads(linear(x, weights, prefix + "attention.self.key"))
        v = split_heads(linear(x, weights, prefix + "attention.self.value"))
        attention = softmax(q @ k.transpose(0, 2, 1) / math.sqrt(width)) @ v
        context = attention.transpose(1, 0, 2).reshape(count, heads * width)
        x = layer_norm(x + linear(context, weights, prefix + "attention.output.dense"),
                       weights[prefix + "attention.output.LayerNorm.weight"],
                       weights[prefix + "attention.output.LayerNorm.bias"], eps)
        hidden = gelu(linear(x, weights, prefix + "intermediate.dense"))
        x = layer_norm(x + linear(hidden, weights, prefix + "output.dense"),
                       weights[prefix + "output.LayerNorm.weight"], weights[prefix + "output.LayerNorm.bias"], eps)
    pooled = x.mean(axis=0)
    return pooled / np.linalg.norm(pooled)


def main():
    model = Path(sys.argv[1] if len(sys.argv) > 1 else "Data/minilm")
    output = Path(sys.argv[2] if len(sys.argv) > 2 else "Tests/ItemLLMTests/Fixtures/minilm_reference.json")
    config = json.loads((model / "config.json").read_text())
    tokens = (model / "vocab.txt").read_text(encoding="utf-8").split("\n")
    if tokens and tokens[-1] == "":
        tokens.pop()
    vocabulary = {token: index for index, token in enumerate(tokens)}
    weights = read_safetensors(model / "model.safetensors")
    cases = []
    for text in CASES:
        pieces = tokenize(text, vocabulary, MAX_LENGTH)
        ids = [vocabulary[piece] for piece in pieces]
        embedding = encode(ids, weights, config)
        cases.append({"text": text, "tokens": pieces, "ids": ids,
                      "embedding": [float(f"{value:.9g}") for value in embedding]})
    result = {"model": "all-MiniLM-L6-v2", "max_length": MAX_LENGTH, "cases": cases}
    output.write_text(json.dumps(result, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
