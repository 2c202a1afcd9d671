"""The badge catalogue: badge classes generated from a framework, their policy and their artwork.

It sits above frameworks (it reads them) and below everything that claims, awards or shows a badge.
"""
