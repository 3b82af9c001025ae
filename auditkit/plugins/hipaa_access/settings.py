"""The review's settings, read from the rules' parameters (``[rules.HIPnnn]`` in the config).

The explanation step serves several rules, so its settings live on HIP001 and the usual
hours on HIP011, and are read from there even when those rules are disabled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from auditkit.rules import CheckContext, Parameter

EXPLANATION = (
    Parameter(
        "window_before_days", 30, "An encounter up to this many days before the access explains it."
    ),
    Parameter(
        "window_after_days",
        7,
        "An encounter up to this many days after the access "
        "(a scheduled visit being prepared) explains it.",
    ),
    Parameter(
        "billing_roles",
        ["billing", "coding", "him"],
        "Roles whose access is explained "
        "by an encounter of the patient (billed work) in the billing window.",
    ),
    Parameter(
        "billing_window_days",
        120,
        "How many days after an encounter billing and coding staff may open the record.",
    ),
)
USUAL_HOURS = (
    Parameter(
        "min_share",
        0.02,
        "An hour is usual for a user when at least this share of their accesses in the "
        "period fall within an hour of it.",
    ),
    Parameter(
        "min_events",
        50,
        "Users with fewer accesses in the period are judged by the organisation's hours.",
    ),
    Parameter("day_starts", 7, "First hour (0-23) of the organisation's usual hours."),
    Parameter("day_ends", 19, "Hour (0-24) when the organisation's usual hours end."),
)
VOLUME = (
    Parameter(
        "factor",
        3.0,
        "A day counts when its unique patients exceed this multiple of "
        "the user's own other days and of the role's average day.",
    ),
    Parameter("min_patients", 40, "Days with fewer unique patients are never flagged."),
)
INTEGRITY = (
    Parameter(
        "out_of_order_minutes",
        5,
        "An event logged this many minutes earlier than the "
        "event logged before it (same source) is out of order.",
    ),
    Parameter("gap_hours", 8, "No event for this many hours from a source is a gap ..."),
    Parameter(
        "gap_min_events_per_hour",
        20,
        "... when the source logs at least this many events per hour on average over the period.",
    ),
)


@dataclass(frozen=True)
class ReviewSettings:
    window_before: int
    window_after: int
    billing_roles: tuple[str, ...]
    billing_window: int
    day_starts: int
    day_ends: int
    min_share: float
    min_events: int

    def key(self) -> tuple[Any, ...]:
        return (
            self.window_before,
            self.window_after,
            self.billing_roles,
            self.billing_window,
            self.day_starts,
            self.day_ends,
            self.min_share,
            self.min_events,
        )


def _value(parameters: Mapping[str, Mapping[str, Any]], rule: str, parameter: Parameter) -> Any:
    return parameters.get(rule, {}).get(parameter.name, parameter.default)


def value(context: CheckContext, rule: str, name: str) -> Any:
    for parameter in (*EXPLANATION, *USUAL_HOURS, *VOLUME, *INTEGRITY):
        if parameter.name == name:
            return _value(context.parameters, rule, parameter)
    raise KeyError(name)


def review_settings(context: CheckContext) -> ReviewSettings:
    roles = value(context, "HIP001", "billing_roles")
    if isinstance(roles, str):
        roles = [part.strip() for part in roles.split(",")]
    return ReviewSettings(
        window_before=int(value(context, "HIP001", "window_before_days")),
        window_after=int(value(context, "HIP001", "window_after_days")),
        billing_roles=tuple(sorted(str(role).lower() for role in roles)),
        billing_window=int(value(context, "HIP001", "billing_window_days")),
        day_starts=int(value(context, "HIP011", "day_starts")),
        day_ends=int(value(context, "HIP011", "day_ends")),
        min_share=float(value(context, "HIP011", "min_share")),
        min_events=int(value(context, "HIP011", "min_events")),
    )
