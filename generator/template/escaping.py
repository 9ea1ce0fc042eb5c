"""How a template's printed values reach Word's XML: escaped, with line breaks and tabs as Word's elements."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

_LINE_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'
_TAB = '</w:t><w:tab/><w:t xml:space="preserve">'


def finalize_text(value: Any) -> Any:
    """Escape output for XML inside <w:t>: line breaks and tabs as Word's own elements,
    braces as character references so docxtpl's {_{ post-processing cannot touch them."""
    if isinstance(value, Markup) or hasattr(value, "__html__"):
        return value
    if value is None:
        return ""
    return _word_text(str(escape(value)))


def _word_text(text: str) -> Markup:
    """Escaped text with braces as character references, line breaks and tabs as Word's elements."""
    if "{" in text or "}" in text:
        text = text.replace("{", "&#123;").replace("}", "&#125;")
    if "\n" in text:
        text = text.replace("\n", _LINE_BREAK)
    if "\t" in text:
        text = text.replace("\t", _TAB)
    return Markup(text)


def finalize_escaped(value: Any) -> str:
    """escape(finalize_text(value)) in one step: what autoescaped output prints
    (see generator.template.jinja.CodeGenerator).

    Plain text comes back as plain str, escaped as markupsafe escapes: what Jinja does with printed
    output in an autoescaped template is join it, and the engine reads a str without a brace or
    tag (body.collect) as it reads the Markup it was before.
    """
    if value.__class__ is str:
        text = (value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;")
                .replace('"', "&#34;"))
        if "{" in text or "}" in text or "\n" in text or "\t" in text:
            return _word_text(text)
        return text
    if value.__class__ is Markup:
        return value  # escape() would only copy it
    if hasattr(value, "__html__"):
        return Markup(value.__html__())
    if value is None:
        return _EMPTY
    text = escape(value)
    if "{" in text or "}" in text or "\n" in text or "\t" in text:
        return _word_text(str(text))
    return text


_EMPTY = Markup("")
