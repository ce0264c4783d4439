"""Independent reference for llmrec's standard protocol on MovieLens-100K: EASE in numpy.

Leave-one-out per user (timestamp order, ties by the protocol's seeded hash of the raw user and
item ids, or by integer item id with --tie-break item-id), full ranking over the catalogue,
history excluded, pessimistic ties. EASE (Steck 2019) in float64 closed form. Writes the JSON
fixture that Tests/IntegrationTests compares llmrec against:

    python3 tools/reference/ease_ml100k.py Data/ml-100k/ml-100k.inter \
        > Tests/IntegrationTests/Fixtures/ease-ml100k-reference.json
"""
import collections
import hashlib
import json
import sys

import numpy as np

MASK = (1 << 64) - 1


def splitmix64_mix(z):
    """SplitMix64's finaliser."""
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def tie_hash(user, item, seed=42):
    """The protocol's tie key: FNV-1a 64 over `user 0x00 item` (UTF-8), mixed with the seed."""
    fnv = 0xCBF29CE484222325
    for byte in user.encode() + b"\x00" + item.encode():
        fnv = ((fnv ^ byte) * 0x100000001B3) & MASK
    return splitmix64_mix(fnv ^ splitmix64_mix(seed))


def split(path, tie_break):
    rows = [line.rstrip("\n").split("\t") for line in open(path)][1:]
    sequences = collections.defaultdict(list)
    for user, item, _rating, timestamp in rows:
        tie = tie_hash(user, item) if tie_break == "seeded-hash" else int(item)
        sequences[int(user)].append((float(timestamp), tie, int(item)))
    return {user: [item for _, _, item in sorted(events)] for user, events in sequences.items()}


def evaluate(sequences, items, l2, phase):
    users = sorted(sequences)
    index = {item: k for k, item in enumerate(items)}
    x = np.zeros((len(users), len(items)))
    targets = []
    for row, user in enumerate(users):
        sequence = sequences[user]
        history = sequence[:-1] if phase == "test" else sequence[:-2]
        for item in history:
            x[row, index[item]] = 1
        targets.append(index[sequence[-1] if phase == "test" else sequence[-2]])
    gram = x.T @ x + l2 * np.eye(len(items))
    p = np.linalg.inv(gram)
    b = -p / np.diag(p)
    np.fill_diagonal(b, 0)
    scores = x @ b
    ndcg, hits = [], []
    for row, target in enumerate(targets):
        s = scores[row].copy()
        target_score = s[target]
        s[x[row] > 0] = -np.inf
        s[target] = -np.inf
        rank = 1 + int(np.sum(s >= target_score))
        ndcg.append(1 / np.log2(rank + 1) if rank <= 10 else 0.0)
        hits.append(1.0 if rank <= 10 else 0.0)
    return {"NDCG@10": float(np.mean(ndcg)), "HR@10": float(np.mean(hits))}


def main():
    tie_break = sys.argv[3] if sys.argv[2:3] == ["--tie-break"] else "seeded-hash"
    sequences = split(sys.argv[1], tie_break)
    items = sorted({item for sequence in sequences.values() for item in sequence})
    lines = "".join(f"{u}\t{sequences[u][-2]}\t{sequences[u][-1]}\n" for u in sorted(sequences))
    result = {
        "splitSHA256": hashlib.sha256(lines.encode()).hexdigest(),
        "l2": 300,
        "validation": evaluate(sequences, items, 300.0, "validation"),
        "test": evaluate(sequences, items, 300.0, "test"),
    }
    print(json.dumps(result, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
