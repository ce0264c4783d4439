#if canImport(Glibc)
import Glibc
#endif

/// Parses numbers straight from ASCII bytes, without creating a `String`.
public enum ByteNumberParser {
    /// A decimal integer (`[+-]?[0-9]+`), or nil for anything else or on overflow.
    public static func parseInt64(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var index = 0
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            index = 1
        }
        guard index < bytes.count else { return nil }
        var value: Int64 = 0
        while index < bytes.count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = shifted.addingReportingOverflow(Int64(digit))
            guard !overflowA, !overflowB else { return nil }
            value = sum
            index += 1
        }
        return negative ? -value : value
    }

    /// A finite decimal floating-point number, correctly rounded to `Double`, or nil.
    ///
    /// Plain decimals (`3.5`, `4`, `-0.25`, `1e3`) with at most 19 significant digits and a
    /// power of ten within ±22 take Clinger's exact fast path (W. D. Clinger, "How to Read
    /// Floating Point Numbers Accurately", PLDI 1990); everything else falls back to `strtod`.
    /// The whole input must be the number; NaN and infinities give nil.
    public static func parseDouble(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        if let value = parsePlainDecimal(bytes) { return value }
        return parseWithStrtod(bytes)
    }

    private static let exactPowersOfTen: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { power, _ in power * 10 }
    }

    private static func parsePlainDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            index = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var sawDigit = false
        while index < bytes.count, case let digit = bytes[index] &- UInt8(ascii: "0"), digit < 10 {
            if mantissa != 0 || digit != 0 { digits += 1 }
            mantissa = mantissa &* 10 &+ UInt64(digit)
            sawDigit = true
            index += 1
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count, case let digit = bytes[index] &- UInt8(ascii: "0"), digit < 10 {
                if mantissa != 0 || digit != 0 { digits += 1 }
                mantissa = mantissa &* 10 &+ UInt64(digit)
                exponent -= 1
                sawDigit = true
                index += 1
            }
        }
        guard sawDigit, digits <= 19 else { return nil }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var written = 0
            var sawExponentDigit = false
            while index < bytes.count, case let digit = bytes[index] &- UInt8(ascii: "0"), digit < 10, written < 1000 {
                written = written * 10 + Int(digit)
                sawExponentDigit = true
                index += 1
            }
            guard sawExponentDigit else { return nil }
            exponent += exponentNegative ? -written : written
        }
        guard index == bytes.count, mantissa <= 1 << 53, abs(exponent) <= 22 else { return nil }
        let magnitude = exponent >= 0 ? Double(mantissa) * exactPowersOfTen[exponent]
                                      : Double(mantissa) / exactPowersOfTen[-exponent]
        return negative ? -magnitude : magnitude
    }

    private static func parseWithStrtod(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard !bytes.isEmpty, bytes.count < 512 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { text in
            for (index, byte) in bytes.enumerated() { text[index] = CChar(bitPattern: byte) }
            text[bytes.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(text.baseAddress!, &end)
            guard end == text.baseAddress! + bytes.count, value.isFinite,
                  !bytes.contains(where: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) else { return nil }
            return value
        }
    }
}
