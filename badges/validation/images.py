"""Badge images: one SVG per domain and level, drawn by the service (no network, no fonts fetched).

The image is a shield in the level's colour with the domain number, the level name and its
value as stars. Text is escaped; nothing in the SVG runs (no script, no external references).
"""

from __future__ import annotations

from xml.sax.saxutils import escape

# Colours with at least 4.5:1 contrast against the white text on them.
LEVEL_COLOURS = {1: "#2f6f4f", 2: "#1f5f8b", 3: "#6b3fa0", 4: "#8a4b08"}


def badge_svg(domain_position: int, domain_name: str, level_value: int, level_name: str) -> str:
    colour = LEVEL_COLOURS.get(level_value, "#444444")
    stars = "\u2605" * level_value + "\u2606" * (4 - level_value)
    title = escape(f"{domain_name}: {level_name} ({level_value})")
    name = escape(domain_name if len(domain_name) <= 34 else domain_name[:33] + "\u2026")
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="240" height="280" viewBox="0 0 240 280" role="img" aria-labelledby="t">
  <title id="t">{title}</title>
  <path d="M120 8 L224 44 V140 C224 206 176 252 120 272 C64 252 16 206 16 140 V44 Z" fill="{colour}"/>
  <path d="M120 22 L210 53 V140 C210 198 168 238 120 256 C72 238 30 198 30 140 V53 Z" fill="none" stroke="#ffffff" stroke-width="3"/>
  <text x="120" y="112" font-family="Helvetica, Arial, sans-serif" font-size="64" font-weight="700" fill="#ffffff" text-anchor="middle">{domain_position}</text>
  <text x="120" y="150" font-family="Helvetica, Arial, sans-serif" font-size="24" font-weight="700" fill="#ffffff" text-anchor="middle">{escape(level_name)}</text>
  <text x="120" y="182" font-family="Helvetica, Arial, sans-serif" font-size="22" fill="#ffffff" text-anchor="middle">{stars}</text>
  <text x="120" y="214" font-family="Helvetica, Arial, sans-serif" font-size="11" fill="#ffffff" text-anchor="middle">{name}</text>
</svg>
"""
