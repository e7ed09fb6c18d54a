"""The course around the lessons: ``otter assign``, the friendly answer checks, batch grading.
"""
