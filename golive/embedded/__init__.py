"""golive's embedded AWS account: moto, completed where golive's checks need it.

Each module adds what moto lacks for one service, the way moto writes a service
(backend state plus response methods); `install()` applies them all, once.
"""

from functools import cache


@cache
def install() -> None:
    from golive.embedded import auth, cloudwatch, iam, sending, ses, sesv2, sns

    auth.install()
    cloudwatch.install()
    iam.install()
    ses.install()
    sending.install()
    sesv2.install()
    sns.install()
