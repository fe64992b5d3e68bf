"""Install the dapt_mmaction plugin (``pip install -e .``)."""
import os.path as osp

from setuptools import find_packages, setup


def read_requirements(path: str) -> list:
    """Return the requirement lines of ``path`` without comments."""
    with open(osp.join(osp.dirname(__file__), path)) as f:
        lines = (line.split('#')[0].strip() for line in f)
        return [line for line in lines if line]


def read_version() -> str:
    """Read ``__version__`` without importing the package."""
    scope = {}
    with open(osp.join(osp.dirname(__file__), 'dapt_mmaction', 'version.py')) as f:
        exec(f.read(), scope)
    return scope['__version__']


setup(
    name='dapt_mmaction',
    version=read_version(),
    description='Domain-adaptive pretraining for action recognition in the '
    'dark, as an mmaction2 plugin',
    long_description=open(osp.join(osp.dirname(__file__), 'README.md')).read(),
    long_description_content_type='text/markdown',
    packages=find_packages(include=['dapt_mmaction', 'dapt_mmaction.*']),
    python_requires='>=3.9',
    install_requires=read_requirements('requirements.txt'),
    extras_require={'tests': read_requirements('requirements-test.txt')},
    license='Apache-2.0',
)
