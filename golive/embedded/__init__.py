"""golive's embedded AWS account: moto, completed where golive's checks need it.

Each module adds what moto lacks for one service, the way moto writes a service
(backend state plus response methods); `install()` applies them all, once.
"""

from functools import cache

import botocore.loaders
import botocore.session

from golive.aws import ModelFiles, offline_botocore


@cache
def install() -> None:
    _share_botocore_models()
    from golive.embedded import auth, cloudwatch, iam, sending, ses, sesv2, sns

    auth.install()
    cloudwatch.install()
    iam.install()
    ses.install()
    sending.install()
    sesv2.install()
    sns.install()


def _share_botocore_models() -> None:
    # moto makes a fresh boto3 Session for each service's region list, and moto.ec2 (which moto.rds
    # imports) four more while it is imported: each would parse botocore's endpoints and EC2 model
    # files again, about 1.2 s of the demo. In the embedded account's process every session may read
    # the one loader golive's own sessions share: the files are the same, read once.
    loader = offline_botocore().get_component("data_loader")
    botocore.session.create_loader = lambda search_path_string=None: loader
    # moto's server reads each service's model (with moto's extras, so not golive's loader) through a
    # loader it makes anew for that service, and a new loader first lists every service botocore ships
    # (about 30 ms each, ten times in a demo): one moto loader for them all lists them once.
    import moto.core.loaders  # here: golive.embedded's modules load in a live-only install too
    import moto.core.utils

    @cache
    def moto_loader() -> botocore.loaders.Loader:
        loader = moto.core.loaders.create_loader()
        loader.file_loader = ModelFiles()  # moto's copies of the models parsed as golive's are
        return loader

    moto.core.utils.create_loader = moto_loader
