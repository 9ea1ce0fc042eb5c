"""The flows both faces call: check, generate, send, remind, batch and watch."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.lazy import exports

if TYPE_CHECKING:  # the names as the package gives them; imported on first use
    from generator.flows.batch import Outcome, generate_many, outputs_for
    from generator.flows.checking import Apart, Result, check_workbook
    from generator.flows.generating import generate, prepare, produce, warm_up
    from generator.flows.initializing import Initialized, build_profile_template, write_init
    from generator.flows.reminding import RemindOutcome, due_activities, plan_reminders, remind
    from generator.flows.sending import Letter, SendOutcome, letter, letter_recipients, send_made, send_plan
    from generator.flows.watching import WatchEvent, watch

__all__ = [
    "Apart", "Initialized", "Letter", "Outcome", "RemindOutcome", "Result", "SendOutcome", "WatchEvent",
    "build_profile_template", "check_workbook", "due_activities", "generate", "generate_many", "letter",
    "letter_recipients", "outputs_for", "plan_reminders", "prepare", "produce", "remind", "send_made", "send_plan",
    "warm_up", "watch", "write_init",
]

__getattr__ = exports(__name__, {
    "batch": ("Outcome", "generate_many", "outputs_for"),
    "checking": ("Apart", "Result", "check_workbook"),
    "generating": ("generate", "prepare", "produce", "warm_up"),
    "initializing": ("Initialized", "build_profile_template", "write_init"),
    "reminding": ("RemindOutcome", "due_activities", "plan_reminders", "remind"),
    "sending": ("Letter", "SendOutcome", "letter", "letter_recipients", "send_made", "send_plan"),
    "watching": ("WatchEvent", "watch"),
})
