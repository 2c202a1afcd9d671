"""What the seed document says, written out once for the tests that check the loaded framework."""

DOMAIN_NAMES = [
    "Engagement and Communication",
    "Designing for Personalization and Proficiency",
    "Creating an Infrastructure for Learning",
    "Delivery and Operations",
    "Anytime/Anywhere Supports and Opportunities",
    "Continuous Improvement for Districts and Schools",
    "Supporting Educators",
    "Information Technology",
    "Adaptive Leadership and Change Management",
]

LEVELS = [
    (1, "Explorer", "I\u2019m becoming familiar with the concepts, implications, and design choices."),
    (2, "Novice", "I\u2019m working on planning and early implementation right now. Wow I have a lot of questions."),
    (3, "Experienced", "I\u2019ve implemented it \u2013 it may not be perfect but I\u2019m learning from my mistakes."),
    (
        4,
        "Expert",
        "I\u2019ve had successful experiences in competency education that produced increased "
        "achievement for students and can support my peers.",
    ),
]
