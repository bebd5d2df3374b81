"""Segmentation heuristics kept as data: which tokens before a full stop do not end a sentence."""

from __future__ import annotations

# Never end a sentence: titles and ranks before a name ("Gen. Milley", "Mr. Peskov").
TITLES = frozenset(
    "Mr Mrs Ms Mx Dr Prof Gen Lt Col Maj Capt Cmdr Adm Sgt Cpl Pvt Sen Sens Rep Reps Gov Pres Rev Hon St Mt Ft "
    "Messrs Mme Mlle Msgr Supt Insp Amb Gens Brig Lieut Atty Dept Univ".split()
)
# Not a sentence end when a number follows ("Jan. 5", "No. 42", "Art. 5").
BEFORE_NUMBER = frozenset("Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec No Nos Art Arts Vol p pp Fig Ch Sec".split())
# Never a sentence end.
NEVER = frozenset("vs e.g i.e cf approx ca viz".split())
# May end a sentence ("… from the U.S. “Let us …"), but only when the next word starts one (see STARTERS).
AMBIGUOUS = frozenset("Inc Corp Co Ltd Bros Jr Sr etc al a.m p.m".split())

# Words that start sentences far more often than they continue a name: after "U.S." or "Inc." one of
# these (or an opening quote) means a new sentence; a capitalised noun ("U.S. Secretary") does not.
STARTERS = frozenset(
    "The A An It Its In On At He She They We I You But And Or So Yet This That These Those There Here "
    "Meanwhile However Still Also Moreover Now Then When While If As After Before Since For With According "
    "Such Some Many Most One Two His Her Their Our My What Why How Who Let Both Each Neither No Nor Not "
    "Instead Indeed Under Over During Despite Although Though Because Last Next Earlier Later".split()
)
