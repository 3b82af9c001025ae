"""The trigger lexicon of the reader: phrases that change what a condition mention means.

One line per trigger: ``phrase | category | direction [| window]``. Phrases are lower
case words as the tokenizer writes them (hyphens split words; ``<year>`` stands for a year
such as 2005, ``<date>`` for a de-identified date, ``<num>`` for another number). Direction
says where the affected mention is: ``forward`` after the trigger, ``backward`` before it,
``both``. The optional window caps how many words the scope reaches (adjectives such as
"prior" qualify only the words right after them).

Categories, by family (each family is matched on its own, longest phrase first, so
"cannot rule out" wins over "rule out" and over "not"):

- certainty: ``negated``, ``possible``, ``pseudo`` (looks like a trigger, is not one:
  "no change", "not only", "gram negative");
- temporality: ``historical``, ``hypothetical``, ``pseudo`` ("history of present
  illness", "two-day history of");
- experiencer: ``other``, ``pseudo``;
- every family: ``end`` — a termination that closes a trigger's scope ("but", "which",
  "presents", "secondary to"), as does the end of the sentence.

Add a phrase by adding a line; the tests read sentences, not this list.
"""

from __future__ import annotations

CERTAINTY = """
no | negated | forward
not | negated | forward
non | negated | forward | 0
denies | negated | forward
denied | negated | forward
deny | negated | forward
denying | negated | forward
without | negated | forward
w/o | negated | forward
negative for | negated | forward
is negative for | negated | forward
was negative for | negated | forward
were negative for | negated | forward
are negative for | negated | forward
neg for | negated | forward
neg | negated | forward
free of | negated | forward
absence of | negated | forward
absent | negated | both
never | negated | forward
declined | negated | both | 6
declines | negated | forward | 6
refused | negated | both | 6
refuses | negated | forward | 6
not done | negated | backward | 4
not performed | negated | backward | 4
not given | negated | backward | 4
not obtained | negated | backward | 4
never had | negated | forward
none | negated | forward
nor | negated | forward
neither | negated | forward
no evidence | negated | forward
no e/o | negated | forward
no sign of | negated | forward
no signs of | negated | forward
no signs or symptoms of | negated | forward
no symptoms of | negated | forward
no suspicious | negated | forward
fails to reveal | negated | forward
failed to reveal | negated | forward
did not reveal | negated | forward
does not reveal | negated | forward
not demonstrate | negated | forward
resolved | negated | backward
has resolved | negated | backward
have resolved | negated | backward
ruled out | negated | both
been ruled out | negated | backward
is ruled out | negated | backward
was ruled out | negated | backward
were ruled out | negated | backward
excluded | negated | backward
negative | negated | backward
is negative | negated | backward
was negative | negated | backward
were negative | negated | backward
are negative | negated | backward
not seen | negated | backward
not present | negated | backward
not identified | negated | backward
not appreciated | negated | backward
not noted | negated | backward
not visualized | negated | backward
not demonstrated | negated | backward
not detected | negated | backward
not found | negated | backward
not evident | negated | backward
not observed | negated | backward
not elicited | negated | backward
unremarkable for | negated | forward
rather than | negated | forward
instead of | negated | forward
no longer | negated | forward
free | negated | backward
possible | possible | forward
possibly | possible | forward
probable | possible | forward
probably | possible | forward
likely | possible | forward
most likely | possible | forward
is likely | possible | backward
unlikely | possible | both
suspected | possible | both
suspect | possible | forward
suspicious for | possible | forward
suspicion of | possible | forward
suspicion for | possible | forward
concern for | possible | forward
concerning for | possible | forward
worrisome for | possible | forward
questionable | possible | forward
question of | possible | forward
query | possible | forward
r/o | possible | forward
rule out | possible | forward
to rule out | possible | forward
rule him out | possible | forward
rule her out | possible | forward
rule the patient out | possible | forward
cannot rule out | possible | forward
can not rule out | possible | forward
could not rule out | possible | forward
cannot exclude | possible | forward
cannot be excluded | possible | backward
can not be excluded | possible | backward
cannot be ruled out | possible | backward
not excluded | possible | backward
not be excluded | possible | backward
not ruled out | possible | backward
not been ruled out | possible | backward
may be | possible | forward
may represent | possible | forward
may have | possible | forward
might be | possible | forward
might have | possible | forward
could be | possible | forward
could represent | possible | forward
differential | possible | forward
differential diagnosis | possible | forward
ddx | possible | forward
presumed | possible | forward
presumptive | possible | forward
working diagnosis | possible | forward
evaluate for | possible | forward
evaluation for | possible | forward
eval for | possible | forward
versus | possible | both
vs | possible | both
uncertain | possible | forward
equivocal | possible | both
no change | pseudo | forward
positive for | end | forward
no interval change | pseudo | forward
no significant change | pseudo | forward
no significant interval change | pseudo | forward
no increase | pseudo | forward
no decrease | pseudo | forward
not only | pseudo | forward
not necessarily | pseudo | forward
not cause | pseudo | forward
not certain if | possible | forward
not certain whether | possible | forward
not drain | pseudo | forward
not extend | pseudo | forward
without difficulty | pseudo | forward
gram negative | pseudo | forward
negative predictive | pseudo | forward
not been able | pseudo | forward
not able | pseudo | forward
not rule out | possible | forward
no known | negated | forward
not known | pseudo | forward
non compliant | pseudo | forward
non compliance | pseudo | forward
non insulin | pseudo | forward
non small | pseudo | forward
non hodgkin | pseudo | forward
non hodgkin's | pseudo | forward
non st | pseudo | forward
non q | pseudo | forward
non obstructive | pseudo | forward
non radiating | pseudo | forward
non tender | negated | forward
non productive | pseudo | forward
whether or not | pseudo | forward
"""

# Phrases that look like time or history words and are neither: ages ("5 years old"),
# durations ("two days ago"), comparisons with earlier studies, "recent" as an end.
# Temporality and experiencer both use them.
NOT_HISTORY = """
year old | pseudo | forward
years old | pseudo | forward
month old | pseudo | forward
months old | pseudo | forward
week old | pseudo | forward
day old | pseudo | forward
days old | pseudo | forward
days ago | pseudo | forward
day ago | pseudo | forward
hours ago | pseudo | forward
hour ago | pseudo | forward
week ago | pseudo | forward
on history | pseudo | forward
previously noted | pseudo | forward
previously described | pseudo | forward
previously seen | pseudo | forward
previously had | pseudo | forward
than previously | pseudo | forward
than it previously | pseudo | forward
previous study | pseudo | forward
previous exam | pseudo | forward
previous examination | pseudo | forward
prior study | pseudo | forward
prior exam | pseudo | forward
prior examination | pseudo | forward
compared to prior | pseudo | forward
compared with prior | pseudo | forward
recent | end | forward
recently | end | forward
"""

TEMPORALITY = NOT_HISTORY + """history | historical | backward
history of | historical | forward
hx | historical | both
hx of | historical | forward
h/o | historical | forward
past history | historical | forward
past medical history | historical | forward
past surgical history | historical | forward
medical history | historical | forward
surgical history | historical | forward
family history | historical | forward
pmh | historical | forward
psh | historical | forward
s/p | historical | forward
status post | historical | forward
previous | historical | forward | 4
previously | historical | both
prior | historical | forward | 4
prior to | pseudo | forward
past | historical | forward | 4
in the past | historical | backward
remote | historical | forward | 4
old | historical | forward | 4
former | historical | forward | 4
formerly | historical | forward
ago | historical | backward
years ago | historical | backward
in <year> | historical | both
in <date> | historical | both
since <year> | historical | both
quit | historical | both
used to | historical | forward
as a child | historical | both
in childhood | historical | both
last time | historical | backward
diagnosed with | historical | forward
known to have | historical | forward
is known to have | historical | forward
history of present illness | pseudo | forward
history and physical | pseudo | forward
history taking | pseudo | forward
history of the present illness | pseudo | forward
day history | pseudo | forward
days history | pseudo | forward
week history | pseudo | forward
weeks history | pseudo | forward
hour history | pseudo | forward
hours history | pseudo | forward
month history | pseudo | forward
day history of | pseudo | forward
days history of | pseudo | forward
week history of | pseudo | forward
weeks history of | pseudo | forward
month history of | pseudo | forward
months history of | pseudo | forward
hour history of | pseudo | forward
hours history of | pseudo | forward
past week | pseudo | forward
past few days | pseudo | forward
past several days | pseudo | forward
past days | pseudo | forward
past month | pseudo | forward
past <num> | pseudo | forward
prior to admission | pseudo | forward
if | hypothetical | forward
if he | hypothetical | forward
if she | hypothetical | forward
should | hypothetical | forward
should there be | hypothetical | forward
in case | hypothetical | forward
return for | hypothetical | forward
return if | hypothetical | forward
return to the er if | hypothetical | forward
call for | hypothetical | forward
call if | hypothetical | forward
as needed | hypothetical | forward
prn | hypothetical | forward
at risk for | hypothetical | forward
at risk of | hypothetical | forward
risk of | hypothetical | forward
risk for | hypothetical | forward
prevent | hypothetical | forward
prevention of | hypothetical | forward
prophylaxis | hypothetical | both
to avoid | hypothetical | forward
watch for | hypothetical | forward
monitor for | hypothetical | forward
would | hypothetical | forward | 3
now | end | forward
currently | end | forward
today | end | forward
presents | end | forward
presenting | end | forward
presented | end | forward
admitted | end | forward
comes in | end | forward
came in | end | forward
new | end | forward
"""

EXPERIENCER = NOT_HISTORY + """family history | other | forward
family hx | other | forward
fh | other | forward
fhx | other | forward
family member | other | both
family members | other | both
mother | other | both
mother's | other | forward
father | other | both
father's | other | forward
sister | other | both
sisters | other | both
brother | other | both
brothers | other | both
sibling | other | both
siblings | other | both
daughter | other | both
son | other | both
parents | other | both
parent | other | both
aunt | other | both
uncle | other | both
cousin | other | both
grandmother | other | both
grandfather | other | both
grandparents | other | both
niece | other | both
nephew | other | both
maternal | other | forward
paternal | other | forward
mom | other | both
dad | other | both
wife | other | both
husband | other | both
spouse | other | both
partner | other | both
family history of present illness | pseudo | forward
per mother | pseudo | forward
per father | pseudo | forward
per parent | pseudo | forward
per parents | pseudo | forward
per family | pseudo | forward
per wife | pseudo | forward
per husband | pseudo | forward
per daughter | pseudo | forward
per son | pseudo | forward
according to mother | pseudo | forward
according to his wife | pseudo | forward
according to her husband | pseudo | forward
patient | end | forward
pt | end | forward
he | end | forward
she | end | forward
personal history | end | forward
"""

# Terminations shared by every family.
COMMON_ENDS = """
but
however
although
though
nevertheless
yet
still
except
apart from
aside from
which
who
whom
whose
presenting
presents
secondary to
as the cause of
as the source of
as the reason for
as the etiology of
cause of
cause for
causes of
source of
sources of
etiology of
etiology for
origin of
reason for
reasons for
trigger event for
"""
