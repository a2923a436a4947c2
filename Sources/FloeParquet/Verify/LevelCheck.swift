import FloeCore
import FloeColumns

/// Checks decoded levels against the schema beyond their ranges (which the decoder checks):
/// the values present match the definition levels, a column chunk starts a record, and every
/// repetition level continues a list that exists — an entry with repetition level r > 0 needs
/// the r-th repeated field defined, in it and in the entry before it.
struct LevelCheck {
    /// The definition level at which the r-th repeated field on the leaf's path (r = 1…) is
    /// present, at index r − 1.
    let repeatedDefinitions: [Int]
    let leaf: ColumnDescriptor

    init(leaf: ColumnDescriptor, schema: Schema) {
        self.leaf = leaf
        var levels: [Int] = []
        var def = 0
        var nodes = schema.root.children
        for name in leaf.path {
            guard let node = nodes.first(where: { $0.name == name }) else { break }
            if node.repetition != .required { def += 1 }
            if node.repetition == .repeated { levels.append(def) }
            nodes = node.children
        }
        repeatedDefinitions = levels
    }

    /// The first problem, as a message and the entry where it is, or nil.
    func problem(_ data: ColumnData) -> (message: String, entry: Int?)? {
        if leaf.maxRepetitionLevel > 0, let first = data.repetitionLevels.first, first != 0 {
            return ("the column chunk starts with repetition level \(first): its first entry does not start a record", 0)
        }
        do {
            try data.validate(against: leaf)
        } catch {
            return ("the decoded levels do not fit the schema: \(error.message)", nil)
        }
        let maxRep = leaf.maxRepetitionLevel
        guard maxRep > 0, repeatedDefinitions.count == maxRep else { return nil }
        let needed = repeatedDefinitions
        var bad = -1, badLevel = 0
        data.repetitionLevels.withUnsafeBufferPointer { rep in
            data.definitionLevels.withUnsafeBufferPointer { def in
                guard rep.count == def.count else { return }
                for i in rep.indices where rep[i] > 0 {
                    let r = Int(rep[i])
                    let need = UInt8(truncatingIfNeeded: needed[r - 1])
                    if def[i] < need || i == 0 || def[i - 1] < need {
                        bad = i; badLevel = r
                        return
                    }
                }
            }
        }
        guard bad >= 0 else { return nil }
        return ("entry \(bad) has repetition level \(badLevel) but the list it continues is null or empty (definition levels \(bad > 0 ? "\(data.definitionLevels[bad - 1])" : "-"), \(data.definitionLevels[bad]); the list needs \(needed[badLevel - 1]))",
                bad)
    }
}
