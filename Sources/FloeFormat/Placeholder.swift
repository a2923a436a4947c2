// The FloeFormat layer; see DESIGN.md.
