"""Which manual-minutes baseline is in force for a robot on a given day.

Order of precedence: the newest ROI profile for the robot (or its workflow) whose
``effective_from`` is on or before the day; then ``[robots.NAME] manual_minutes`` in the
settings; then the robot's own default. The engine records the figure with each finished
attempt, so a later change of assumption never rewrites history.
"""

from __future__ import annotations

from datetime import date

from backoffice.config import RoiProfile, Settings


def profile_in_force(
    settings: Settings, targets: tuple[str, ...], day: date, *, setting: str | None = None
) -> RoiProfile | None:
    """The newest profile for the first target that has one in force on ``day``; with
    ``setting``, only profiles that set it count (a newer profile that only changes a rate
    must not hide the baseline an older one set)."""
    best: RoiProfile | None = None
    for target in targets:  # the first target that has a profile in force wins
        for profile in settings.roi.profiles:
            if profile.target != target or profile.effective_from > day:
                continue
            if setting is not None and getattr(profile, setting) is None:
                continue
            if best is None or profile.effective_from > best.effective_from:
                best = profile
        if best is not None:
            return best
    return None


def baseline_minutes(
    settings: Settings,
    *,
    robot: str,
    workflow: str,
    default: float,
    day: date,
    units: float | None = None,
) -> float:
    """Minutes a person would have spent on one item (plus ``units`` at the per-unit rate)."""
    profile = profile_in_force(settings, (robot, workflow), day, setting="manual_minutes")
    per_unit = 0.0
    if profile is not None and profile.manual_minutes is not None:
        minutes = profile.manual_minutes
        per_unit = profile.per_unit_minutes or 0.0
    else:
        overrides = settings.robots.get(robot, {})
        minutes = float(overrides.get("manual_minutes", default))
        per_unit = float(overrides.get("per_unit_minutes", 0.0))
    return minutes + per_unit * (units or 0.0)
