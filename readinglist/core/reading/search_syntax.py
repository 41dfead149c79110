"""The search syntax as `--help` and the window show it: text only, so the
command line's parser need not import the search engine to describe it."""

SEARCH_SYNTAX = """\
query syntax (titles, abstracts, notes and tags):
  diffusion policy              all the words, in any word form
  "instruction tuning"          the exact phrase
  grasping OR calibration       either word
  pruning -adapters             without a word (also NOT adapters)
  title:survey  tag:robots      one field: title, abstract, note, tag
  rob*                          words starting with "rob"
a query that cannot be read as written is searched as plain words."""
