import FloeCore

/// Collects the findings of one file: stamps each with the file's path and stops listing them
/// (but keeps counting) past the configured maximum. Past the maximum an error still displaces
/// a listed warning, so that a report lists errors whenever it has any.
struct FindingSink: Sendable {
    let path: String
    let limit: Int
    private(set) var findings: [VerificationFinding] = []
    private(set) var omitted = 0
    private(set) var errorCount = 0
    /// The codes of the errors that are counted but not listed.
    private(set) var omittedErrorCodes: Set<FloeError.Code> = []

    init(path: String, limit: Int) {
        self.path = path
        self.limit = max(1, limit)
    }

    /// Records a finding.
    mutating func add(_ severity: VerificationFinding.Severity, _ code: FloeError.Code, _ message: String,
                      at location: Location) {
        if severity == .error { errorCount += 1 }
        var where_ = location
        where_.file = path
        insert(VerificationFinding(severity: severity, code: code, message: message, location: where_))
    }

    private mutating func insert(_ f: VerificationFinding) {
        if findings.count < limit {
            findings.append(f)
            return
        }
        omitted += 1
        guard f.severity == .error else { return }
        if let w = findings.lastIndex(where: { $0.severity == .warning }) {
            findings.remove(at: w)
            findings.append(f)
        } else {
            omittedErrorCodes.insert(f.code)
        }
    }

    /// Appends the findings of another sink of the same file (kept in order, within the limit).
    mutating func append(_ other: FindingSink) {
        errorCount += other.errorCount
        for f in other.findings { insert(f) }
        omitted += other.omitted
        omittedErrorCodes.formUnion(other.omittedErrorCodes)
    }

    /// Records an error finding.
    mutating func error(_ code: FloeError.Code, _ message: String, at location: Location) {
        add(.error, code, message, at: location)
    }

    /// Records a warning finding.
    mutating func warning(_ code: FloeError.Code, _ message: String, at location: Location) {
        add(.warning, code, message, at: location)
    }

    /// Records a thrown error as an error finding; its own location is the more precise one and
    /// `context` fills the parts it lacks.
    mutating func error(_ error: FloeError, context: Location = Location()) {
        add(.error, error.code, error.message, at: error.location.merged(into: context))
    }
}
