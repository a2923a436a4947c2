import FloeCore

/// Collects the findings of one file: stamps each with the file's path and stops listing them
/// (but keeps counting) past the configured maximum.
struct FindingSink: Sendable {
    let path: String
    let limit: Int
    private(set) var findings: [VerificationFinding] = []
    private(set) var omitted = 0
    private(set) var errorCount = 0

    init(path: String, limit: Int) {
        self.path = path
        self.limit = max(1, limit)
    }

    /// Records a finding.
    mutating func add(_ severity: VerificationFinding.Severity, _ code: FloeError.Code, _ message: String,
                      at location: Location) {
        if severity == .error { errorCount += 1 }
        guard findings.count < limit else { omitted += 1; return }
        var where_ = location
        where_.file = path
        findings.append(VerificationFinding(severity: severity, code: code, message: message, location: where_))
    }

    /// Appends the findings of another sink of the same file (kept in order, within the limit).
    mutating func append(_ other: FindingSink) {
        errorCount += other.errorCount
        for f in other.findings {
            if findings.count < limit { findings.append(f) } else { omitted += 1 }
        }
        omitted += other.omitted
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
