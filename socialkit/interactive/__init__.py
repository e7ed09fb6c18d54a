"""What a reader moves and fills in: static-capable sliders, worksheets, quizzes, the plot style.
"""
