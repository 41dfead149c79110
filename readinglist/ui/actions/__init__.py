"""What a person can do in the window: its actions and menus with their shortcuts
(`menus`), and the edits they trigger on the writer thread (`edits`). Imports the
core, `tasks` and `resources` only."""
