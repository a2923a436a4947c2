// The FloeColumns layer; see DESIGN.md.
