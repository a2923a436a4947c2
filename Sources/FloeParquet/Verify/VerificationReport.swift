import FloeCore

/// What ``FileVerifier`` checks and with which limits.
public struct VerifyOptions: Sendable {
    /// Also check statistics, the page index and bloom filters against the decoded values.
    public var deep: Bool
    /// Check the CRC-32 of every page that carries one.
    public var verifyChecksums: Bool
    /// The reader limits applied while decoding (page sizes, footer size). `verifyChecksums`
    /// above takes precedence over ``ReaderLimits/verifyChecksums``.
    public var limits: ReaderLimits
    /// At most this many findings are listed per file; the rest are counted in
    /// ``VerificationReport/omittedFindings``.
    public var maxFindings: Int

    /// Creates options; the defaults check everything except the `deep` checks.
    public init(deep: Bool = false, verifyChecksums: Bool = true, limits: ReaderLimits = ReaderLimits(),
                maxFindings: Int = 200) {
        self.deep = deep
        self.verifyChecksums = verifyChecksums
        self.limits = limits
        self.maxFindings = maxFindings
    }
}

/// One problem found in a file: how bad, what kind, what, and where.
public struct VerificationFinding: Sendable, Equatable, CustomStringConvertible {
    /// How bad a finding is.
    public enum Severity: String, Sendable, Equatable {
        /// The file is corrupt, unsupported or unreadable: a reader cannot trust it.
        case error
        /// Something is off but readers get correct values (a tolerated writer quirk, a
        /// statistic that is looser than it claims).
        case warning
    }

    /// How bad it is.
    public var severity: Severity
    /// The kind of failure (``FloeError/Code``).
    public var code: FloeError.Code
    /// What is wrong.
    public var message: String
    /// Where: file, row group, column path, page ordinal in the column chunk, byte offset.
    public var location: Location

    /// Creates a finding.
    public init(severity: Severity, code: FloeError.Code, message: String, location: Location) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
    }

    /// The finding as one line: severity, code, message and location.
    public var description: String {
        let loc = location.isEmpty ? "" : " (\(location))"
        return "\(severity.rawValue): \(code): \(message)\(loc)"
    }
}

/// The verdict on one file.
public enum VerificationVerdict: String, Sendable, Equatable {
    /// No error findings (warnings may be present).
    case clean = "OK"
    /// At least one error finding that says the data is bad (corrupt, checksum mismatch).
    case corrupt = "CORRUPT"
    /// Every error finding says the file uses a feature Floe does not implement or exceeds a
    /// configured limit: the file could not be fully checked.
    case unsupported = "UNSUPPORTED"
    /// The file could not be opened or read (I/O error, not a regular file).
    case unreadable = "UNREADABLE"
}

/// The result of verifying one file.
public struct VerificationReport: Sendable {
    /// The path as given.
    public var path: String
    /// The file size in bytes (0 when it could not be opened).
    public var size: Int
    /// The row count the footer claims (0 when the footer did not decode).
    public var rows: Int
    /// The number of row groups.
    public var rowGroups: Int
    /// The number of leaf columns.
    public var columns: Int
    /// The bytes read and checked (footer, column chunks, page indexes).
    public var bytesChecked: Int
    /// Everything found, in the order it was found (at most ``VerifyOptions/maxFindings``).
    public var findings: [VerificationFinding]
    /// Findings beyond ``VerifyOptions/maxFindings`` (counted, not listed).
    public var omittedFindings: Int
    /// All error findings, listed or not.
    public var errorCount: Int
    /// The codes of error findings that are not listed.
    public var omittedErrorCodes: Set<FloeError.Code>
    /// How long the verification took.
    public var duration: Duration

    /// Creates a report.
    public init(path: String, size: Int = 0, rows: Int = 0, rowGroups: Int = 0, columns: Int = 0,
                bytesChecked: Int = 0, findings: [VerificationFinding] = [], omittedFindings: Int = 0,
                errorCount: Int? = nil, omittedErrorCodes: Set<FloeError.Code> = [], duration: Duration = .zero) {
        self.path = path; self.size = size; self.rows = rows; self.rowGroups = rowGroups
        self.columns = columns; self.bytesChecked = bytesChecked; self.findings = findings
        self.omittedFindings = omittedFindings
        self.errorCount = errorCount ?? findings.filter { $0.severity == .error }.count
        self.omittedErrorCodes = omittedErrorCodes
        self.duration = duration
    }

    /// The listed error findings.
    public var errors: [VerificationFinding] { findings.filter { $0.severity == .error } }
    /// The listed warning findings.
    public var warnings: [VerificationFinding] { findings.filter { $0.severity == .warning } }
    /// All warning findings, listed or not.
    public var warningCount: Int { findings.count + omittedFindings - errorCount }

    /// True when there is no error finding.
    public var isClean: Bool { errorCount == 0 }

    /// The verdict: unreadable if any error is an I/O error; else corrupt if any error says the
    /// data is bad; else unsupported if there are errors at all; else clean.
    public var verdict: VerificationVerdict {
        if isClean { return .clean }
        let codes = Set(errors.map(\.code)).union(omittedErrorCodes)
        if codes.contains(.io) || codes.contains(.invalidArgument) { return .unreadable }
        if codes.contains(where: { $0 != .unsupported && $0 != .limitExceeded }) { return .corrupt }
        return .unsupported
    }
}
