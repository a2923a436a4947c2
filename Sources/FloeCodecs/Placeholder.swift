// The FloeCodecs layer; see DESIGN.md.
