"""What a reader moves and fills in: static-capable sliders, worksheets, quizzes, the plot style.

The screen parts every chapter shares; no chapter's figure (those are in ``figures``, which builds
on these, and the chapter applications in ``apps``).
"""
