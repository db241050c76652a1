"""The corpus layer: near-duplicates, stories, corroboration and contradiction, actor
timelines, kept in the store beside the reports and updated as articles arrive.

It reads stored reports and writes its own tables; it never runs the analysis.
"""

from .queries import (
    ActorTimeline,
    Story,
    StoryRow,
    actor_timeline,
    claim_links,
    get_story,
    list_stories,
    placements,
    unplaced,
)
from .update import CorpusUpdate, CorpusUpdater, rebuild_corpus, update_corpus

__all__ = [
    "ActorTimeline",
    "CorpusUpdate",
    "CorpusUpdater",
    "Story",
    "StoryRow",
    "actor_timeline",
    "claim_links",
    "get_story",
    "list_stories",
    "placements",
    "rebuild_corpus",
    "unplaced",
    "update_corpus",
]
