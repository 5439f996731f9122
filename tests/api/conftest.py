from tests.eparliament.conftest import (  # noqa: F401  (shared fixtures)
    _fast_passwords,
    golden_round,
    make_endpoint,
    secret,
)
