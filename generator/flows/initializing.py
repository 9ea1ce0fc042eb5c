"""init's files: a new workbook, and a plan template to change in Word – the default, or one in the kommun's look."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from generator.document.profile import ProfileResult, apply_profile, check_profile_name
from generator.files.output import write_atomically
from generator.files.paths import check_targets
from generator.files.resources import default_template
from generator.plan.errors import TemplateError
from generator.workbook.starter import check_new, write_starter


@dataclass(frozen=True)
class Initialized:
    """What init wrote: the files in order, the template among them, and what the profile gave it."""

    written: tuple[Path, ...]
    template: Path | None = None
    profile: ProfileResult | None = None


def write_init(workbook: Path | None, template_copy: Path | None, force: bool = False,
               profile: Path | None = None) -> Initialized:
    """init's files: the workbook and/or the template, all checked before any is written.

    With profile (the kommun's Word template, .dotx or .docx) the template takes over its look
    (build_profile_template); without, it is a copy of the default template.
    """
    if profile is not None and template_copy is None:
        raise TemplateError(profile, "ange också mallen som ska skrivas: aktivitetsplan init --mall egen-mall.docx "
                                     f"--profil {profile.name}")
    if workbook is not None:
        check_new(workbook, ".xlsx", "arbetsboken", force)
    if template_copy is not None:
        check_new(template_copy, ".docx", "mallen", force)
    if profile is not None:
        check_profile_name(profile)
    check_targets({"standardmallen": default_template(), "profilen": profile},
                  {"arbetsboken": workbook, "mallkopian": template_copy})
    written: list[Path] = []
    made = None
    if template_copy is not None:
        if profile is not None:
            made = build_profile_template(None, profile, template_copy)
        else:
            source = default_template()
            write_atomically(template_copy, lambda temp: shutil.copyfile(source, temp))
        written.append(template_copy)
    if workbook is not None:
        written.append(write_starter(workbook, force=force))
    return Initialized(tuple(written), template_copy, made)


def build_profile_template(base: Path | None, profile: Path, target: Path, shown: str | None = None) -> ProfileResult:
    """Write at target the plan template base (None: the default one) in the look of the kommun's profile.

    shown: the profile's name as its user knows it (an upload's), for the messages.
    """
    return apply_profile(base or default_template(), profile, target, shown)
