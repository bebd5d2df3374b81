"""The one reader of user-supplied JSON-lines files (submissions, annotation passes)."""

from natostance.guard import ErrorLog
from natostance.jsonlines import object_lines


def test_objects_with_line_numbers_and_every_bad_line_named(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text('{"a": 1}\n\n[1, 2]\n{"b": \n"x"\n{"c": 3}\n', encoding="utf-8")
    errors = ErrorLog()
    assert list(object_lines(path, errors)) == [(1, {"a": 1}), (6, {"c": 3})]
    assert errors.lines() == [f"{path}:3: expected a JSON object, found list",
                      f"{path}:4: expected a JSON object, found invalid JSON (Expecting value at column 7)",
                      f"{path}:5: expected a JSON object, found str"]
