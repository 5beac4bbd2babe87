"""Who counts as a person."""

from __future__ import annotations

from kintsugi.core.language import Kind, PeopleLexicon, lint_text
from kintsugi.core.language.grammar import SentenceView
from kintsugi.core.language.tokens import tokenize


def subject(text: str, verb: str, lexicon: PeopleLexicon | None = None) -> Kind:
    lexicon = lexicon or PeopleLexicon()
    view = SentenceView(text, 0, len(text), tokenize(text), lexicon)
    return view.subject_kind(view.index_at(text.index(verb)))


def test_it_recognises_names_pronouns_roles_and_teams() -> None:
    assert subject("Priya deleted it", "deleted") is Kind.PERSON
    assert subject("She deleted it", "deleted") is Kind.PERSON
    assert subject("The on-call SRE deleted it", "deleted") is Kind.PERSON
    assert subject("The engineer on call deleted it", "deleted") is Kind.PERSON
    assert subject("The intern's script deleted it", "deleted") is Kind.PERSON
    assert subject("I deleted it", "deleted") is Kind.SELF
    assert subject("We deleted it", "deleted") is Kind.WE
    assert subject("The platform team deleted it", "deleted") is Kind.TEAM
    assert subject("Someone on the platform team deleted it", "deleted") is Kind.PERSON
    assert subject("The cleanup job deleted it", "deleted") is Kind.THING
    assert subject("Deleted it", "Deleted") is Kind.NONE


def test_it_follows_relative_pronouns_and_shared_subjects() -> None:
    assert subject("The change that Bob deployed broke it", "broke") is Kind.THING
    assert subject("The engineer who wrote the migration broke it", "broke") is Kind.PERSON
    assert subject("Alice ran the job, which broke it", "broke") is Kind.THING
    assert subject("Bob logged in to the primary and broke it", "broke") is Kind.PERSON
    assert subject("Whoever merged this broke it", "broke") is Kind.PERSON


def test_it_tells_software_operators_from_human_ones() -> None:
    assert subject("The Postgres operator failed to promote", "failed") is Kind.THING
    assert subject("The operator failed to promote", "failed") is Kind.PERSON


def test_it_adds_the_organisations_people_and_skips_common_word_usernames() -> None:
    lexicon = PeopleLexicon(["Zoltan Kiss", "deploy", "Max"], builtin=False)
    assert lexicon.is_name("Zoltan") and lexicon.is_name("Kiss")
    assert lexicon.is_name("Max")  # written as a name
    assert not lexicon.is_name("deploy") and not lexicon.is_name("Deploy")
    assert lexicon.is_name("@deploy")


def test_it_can_do_without_the_built_in_names() -> None:
    text = "Bob pushed a bad config."
    assert lint_text(text)
    from kintsugi.core.language import LintConfig

    assert lint_text(text, config=LintConfig(builtin_names=False)) == []


def test_it_only_matches_built_in_names_when_capitalised() -> None:
    assert lint_text("bob pushed a bad config.") == []
