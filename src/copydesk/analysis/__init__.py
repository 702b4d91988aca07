"""Shared analysis of a document beyond words and sentences.

- :mod:`copydesk.analysis.quotes`: quotation marks paired into quotations
  (curly and straight, double and single, nested, continued over
  paragraphs), apostrophes told apart from quote marks, scare quotes,
  malformed marks, and who each quotation is attributed to.
- :mod:`copydesk.analysis.people`: person mentions grouped into entities
  with grammatical gender, gendered pronouns with the people they can
  refer to, and the speaker of each quotation as the story goes on.

Both are computed once per document through ``Document.quotes`` and
``Document.people``; rules read them and never re-parse the text.
"""
