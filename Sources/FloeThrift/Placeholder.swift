// The FloeThrift layer; see DESIGN.md.
