"""The texts a reader agrees to when signing up: which ones, their current versions, and the
templates that hold them. No ORM: models, forms, views and tests all read these.

A new version of a text gets a new version string here (its effective date); consents
already given keep the version they were given for.
"""

TERMS = "terms"
PRIVACY = "privacy"
AGE14 = "age14"

# Every one of these is required: without all three there is no account.
REQUIRED_AT_SIGNUP = (TERMS, PRIVACY, AGE14)

CURRENT_VERSIONS: dict[str, str] = {
    TERMS: "2026-11-01",
    PRIVACY: "2026-11-01",
    # The wording of the age confirmation on the sign-up form.
    AGE14: "2026-11-01",
}

# The texts readers can open (the age confirmation is one sentence on the form).
TEMPLATES: dict[str, str] = {
    TERMS: "accounts/legal/terms.html",
    PRIVACY: "accounts/legal/privacy.html",
}
