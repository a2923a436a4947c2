// The FloeParquet layer; see DESIGN.md.
