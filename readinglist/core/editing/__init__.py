"""Every edit a person makes, undoable: status, note, key, tags, deletes (`edits`,
`tags`), the changes they record (`changes`) and the history (`history`). Imports
`store` and below."""
