"""The DeskForms form file format and the pure functions over it."""
