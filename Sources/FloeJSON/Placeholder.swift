// The FloeJSON layer; see DESIGN.md.
