"""Today's schema as `schema_check.objects` lists it: what a library opened
without the ORM (a command that only reads) must hold exactly. Written from
the models by ``python -m tests.core.test_schema_objects``; a test holds it
to them."""

SCHEMA_VERSION = 11

OBJECTS = frozenset([('index', 'ix_appearance_digest', 'appearance', ''),
 ('index', 'ix_citekey_retired_key', 'citekey_retired', ''),
 ('index', 'ix_citekey_retired_title', 'citekey_retired', ''),
 ('index', 'ix_digest_digest_date', 'digest', ''),
 ('index', 'ix_history_step_undone', 'history_step', ''),
 ('index', 'ix_paper_arxiv_id', 'paper', ''),
 ('index', 'ix_paper_author_sort', 'paper', ''),
 ('index', 'ix_paper_citekey', 'paper', ''),
 ('index', 'ix_paper_dismissed', 'paper', ''),
 ('index', 'ix_paper_doi', 'paper', ''),
 ('index', 'ix_paper_first_seen', 'paper', ''),
 ('index', 'ix_paper_has_code', 'paper', ''),
 ('index', 'ix_paper_import_batch', 'paper', ''),
 ('index', 'ix_paper_last_seen', 'paper', ''),
 ('index', 'ix_paper_status', 'paper', ''),
 ('index', 'ix_paper_status_rank', 'paper', ''),
 ('index', 'ix_paper_tag_sort', 'paper', ''),
 ('index', 'ix_paper_tag_tag', 'paper_tag', ''),
 ('index', 'ix_paper_times_seen', 'paper', ''),
 ('index', 'ix_paper_title_lower', 'paper', ''),
 ('index', 'ix_paper_title_match', 'paper', ''),
 ('index', 'ix_paper_year', 'paper', ''),
 ('table', 'appearance', 'appearance', ''),
 ('table', 'citekey_retired', 'citekey_retired', ''),
 ('table', 'digest', 'digest', ''),
 ('table', 'history_step', 'history_step', ''),
 ('table', 'index_queue', 'index_queue', ''),
 ('table', 'meta', 'meta', ''),
 ('table', 'paper', 'paper', ''),
 ('table', 'paper_tag', 'paper_tag', ''),
 ('table', 'tag', 'tag', ''),
 ('trigger',
  'tr_paper_tag_added',
  'paper_tag',
  'CREATE TRIGGER tr_paper_tag_added AFTER INSERT ON paper_tag BEGIN UPDATE paper SET tag_sort '
  '= (SELECT min(t.name_key) FROM paper_tag pt JOIN tag t ON t.id = pt.tag_id WHERE '
  'pt.paper_id = NEW.paper_id) WHERE id = NEW.paper_id; END'),
 ('trigger',
  'tr_paper_tag_changed',
  'paper_tag',
  'CREATE TRIGGER tr_paper_tag_changed AFTER UPDATE ON paper_tag BEGIN UPDATE paper SET '
  'tag_sort = (SELECT min(t.name_key) FROM paper_tag pt JOIN tag t ON t.id = pt.tag_id WHERE '
  'pt.paper_id = OLD.paper_id) WHERE id = OLD.paper_id; UPDATE paper SET tag_sort = (SELECT '
  'min(t.name_key) FROM paper_tag pt JOIN tag t ON t.id = pt.tag_id WHERE pt.paper_id = '
  'NEW.paper_id) WHERE id = NEW.paper_id; END'),
 ('trigger',
  'tr_paper_tag_removed',
  'paper_tag',
  'CREATE TRIGGER tr_paper_tag_removed AFTER DELETE ON paper_tag BEGIN UPDATE paper SET '
  'tag_sort = (SELECT min(t.name_key) FROM paper_tag pt JOIN tag t ON t.id = pt.tag_id WHERE '
  'pt.paper_id = OLD.paper_id) WHERE id = OLD.paper_id; END'),
 ('trigger',
  'tr_tag_renamed',
  'tag',
  'CREATE TRIGGER tr_tag_renamed AFTER UPDATE OF name_key ON tag BEGIN UPDATE paper SET '
  'tag_sort = (SELECT min(t.name_key) FROM paper_tag pt JOIN tag t ON t.id = pt.tag_id WHERE '
  'pt.paper_id = paper.id) WHERE id IN (SELECT paper_id FROM paper_tag WHERE tag_id = NEW.id); '
  'END')])
