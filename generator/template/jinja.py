"""The Jinja adapter: the one module that reaches into Jinja's internals (code generator, compile hook, namespace).

Everything else uses Jinja's public API (jinja2.sandbox, nodes, ext, visitor, meta, runtime, exceptions).
Nothing here raises on its own: Jinja's errors pass through to generator.template.environment,
whose template_error turns them into a TemplateError naming the template and tag.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, compiler, nodes
from jinja2.compiler import Frame
from jinja2.runtime import Namespace

from generator.template.escaping import finalize_text


class CodeGenerator(compiler.CodeGenerator):
    """Jinja's code generator, printing autoescaped values through finalize_escaped in one call.

    Jinja writes escape(environment.finalize(value)) for each printed value; finalize_text
    escapes already, so the outer escape only made a copy. The environment using it
    (code_generator_class) has finalize_escaped (generator.template.escaping) as an attribute.
    """

    def _escapes_in_finalize(self, frame: Frame, finalize: Any) -> bool:
        return bool(not frame.eval_ctx.volatile and frame.eval_ctx.autoescape
                    and finalize.src == "environment.finalize(" and self.environment.finalize is finalize_text)

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if self._escapes_in_finalize(frame, finalize):
            self.write("environment.finalize_escaped(")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if self._escapes_in_finalize(frame, finalize):
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)


class TransformingEnvironment(Environment):
    """An environment that passes each parsed template through transform() before compiling it.

    Put it before Jinja's own environment class among the bases (class E(TransformingEnvironment,
    SandboxedEnvironment)); Jinja's hook for this, _generate, is internal.
    """

    def transform(self, source: nodes.Template) -> nodes.Template:
        """The parsed template to compile: source as it is, unless a subclass changes it."""
        return source

    def _generate(self, source: nodes.Template, name: str | None, filename: str | None,
                  defer_init: bool = False) -> str:
        return super()._generate(self.transform(source), name, filename, defer_init)


def _namespace_items(namespace: Namespace) -> dict[str, Any]:
    """A copy of what a template's namespace() holds (Jinja offers no public way to list it)."""
    return dict(namespace._Namespace__attrs)
