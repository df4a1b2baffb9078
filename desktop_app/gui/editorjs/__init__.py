"""Qt widgets for Editor.js content: the read-only preview and the rich-text field."""
