"""schemathesis against /schema/openapi.json through the ASGI app, as every role.

Every answer must be no server error and as documented (status code, content type, body
schema). The number of examples per operation and mode is bounded (FUZZ_EXAMPLES): 2 in
`make test`, 6 in `make test-full`; raise it locally to dig deeper.
"""

from __future__ import annotations

import os
from datetime import timedelta

import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from perp_track.app import create_app
from perp_track.auth import rules as auth_rules
from perp_track.auth.rules import Role
from perp_track.auth.services import create_user
from perp_track.auth.tables import ApiToken
from perp_track.measures.rules import MeasureKind
from tests.world import PASSWORD, World

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Run last: they end the caller's tokens or another user's account.
SESSION_ENDING = ("/api/auth/logout", "/api/auth/tokens", "/api/users", "/api/auth/totp")


async def _tokens(world: World) -> dict[Role, str]:
    admin = await create_user(
        email="admin@test.example",
        full_name="Admin",
        role=Role.ADMIN,
        organisation_id=world.orgs["jh"],
        password=PASSWORD,
        clock=world.clock,
    )
    users = {
        Role.JUSTICE_ASSISTANT: world.ja,
        Role.SUPERVISOR: world.supervisor,
        Role.POLICE_OFFICER: world.officer,
        Role.SAPV_CONTACT: world.sapv,
        Role.PROGRAMME_STAFF: world.praxis,
        Role.ADMIN: admin,
    }
    tokens = {}
    now = world.clock.now()
    for role, user in users.items():
        token = auth_rules.new_token()
        await ApiToken.insert(
            ApiToken(
                user=user.id,
                token_hash=auth_rules.token_digest(token),
                created_at=now,
                expires_at=now + timedelta(days=1),
            )
        )
        tokens[role] = token
    return tokens


async def test_no_server_error_and_every_answer_as_documented(world: World, settings):
    case = await world.open_case()
    await world.add_measure(case.id, MeasureKind.TEMPORARY_RESIDENCE_BAN)
    tokens = await _tokens(world)
    # The app owns its engine here: schemathesis serves it from its own event loop.
    app = create_app(settings, clock=world.clock)
    schema = schemathesis.openapi.from_asgi("/schema/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    failures: list[str] = []

    for operation, mode in [
        (op, mode)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        for op in operations
    ]:

        @given(case=operation.as_strategy(generation_mode=mode))
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case):  # type: ignore[no-untyped-def]
            for token in tokens.values():
                headers = {"Authorization": f"Bearer {token}"}
                response = case.call(headers=headers)
                case.validate_response(response, checks=CHECKS, headers=headers)

        try:
            fuzz()
        except Exception as exc:
            failures.append(f"{operation.method.upper()} {operation.path} ({mode}): {exc}"[:3000])
    assert not failures, "\n\n".join(failures)
