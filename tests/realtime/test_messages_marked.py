"""Issue 17: every refusal the live engine, feedback and config's input checks word for a person is marked for
translation where it is made. A message given as a plain string, an f-string or a string formatted in place
(`"..." % x`) never reaches a catalog, so it would stay English on a German phone: this fails on the first one.
Codes, log lines and field paths are not messages and stay as they are."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PACKAGES = ("realtime", "feedback", "config")
NOT_OURS = {"feedback/survey_form.py"}  # the survey designer's form: marked with the pages
# What makes a refusal, and which of its arguments is the message a person reads.
MESSAGE_ARGUMENT = {
    "LiveError": 1,  # (code, message)
    "DomainError": 0,  # (message, field=..., code=...)
    "BadJSON": 1,  # (code, message, document)
    "Refused": 1,  # (code, message, message id)
    "_error": 2,  # a socket's error frame: (message id, code, message)
    "_refused": 0,  # feedback.prompts: (message, field)
    "_refusal": 1,  # feedback.survey_api: (field, message, code)
}


def _name(call):
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", None)


def _unmarked(node):
    """A message written out in place instead of through gettext."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.JoinedStr):
        return True
    return isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and _unmarked(node.left)


def unmarked_messages(source, where):
    found = []
    for call in ast.walk(ast.parse(source)):
        if not isinstance(call, ast.Call) or _name(call) not in MESSAGE_ARGUMENT:
            continue
        position = MESSAGE_ARGUMENT[_name(call)]
        message = call.args[position] if len(call.args) > position else None
        if message is None:
            message = next((k.value for k in call.keywords if k.arg in ("message", "text")), None)
        if message is not None and _unmarked(message):
            found.append(f"{where}:{call.lineno} {ast.unparse(message)[:70]}")
    return found


def test_the_check_finds_an_unmarked_message():
    source = (
        'raise LiveError("x", "Plain words.")\n'
        'raise LiveError("x", f"Version {v}.")\n'
        'raise DomainError("Now %s." % n, field="f")\n'
        'await self._error(None, "x", "Slow down.")\n'
        'raise LiveError("x", _("Marked."))\n'
        'raise LiveError("x", _("Marked %(n)s.") % {"n": n})\n'
        "raise LiveError(refused.code, refused.message)\n"
    )
    assert [line.split(" ", 1)[0] for line in unmarked_messages(source, "t")] == ["t:1", "t:2", "t:3", "t:4"]


def test_every_message_of_the_live_engine_feedback_and_config_is_marked_for_translation():
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            where = str(path.relative_to(ROOT))
            if where in NOT_OURS or "/migrations/" in where:
                continue
            found += unmarked_messages(path.read_text(), where)
    assert found == []
