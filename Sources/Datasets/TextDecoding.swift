/// Turns field bytes into `String`s for the encodings data dumps use.
enum TextDecoding {
    /// The bytes as UTF-8, or nil when they are not valid UTF-8.
    static func utf8(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        String(validating: bytes, as: UTF8.self)
    }

    /// The bytes as ISO-8859-1 (latin-1), which never fails.
    ///
    /// Bytes that form valid UTF-8 are read as UTF-8 instead: some dumps documented as latin-1
    /// were re-encoded, and latin-1 text practically never forms a valid multi-byte UTF-8 sequence.
    static func latin1(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if let text = utf8(bytes) { return text }
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
        return String(scalars)
    }
}
