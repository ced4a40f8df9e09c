"""Answering: from retrieved passages to a cited answer or a refusal.

``citations`` (Answer, Citation, the Answerer interface), ``extractive`` (the
default, quoted sentences), ``generative`` (optional language model, checked).
"""
