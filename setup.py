"""Package layout for setuptools; the metadata lives in pyproject.toml.

The repository keeps data/ and models/ as top-level folders. In a wheel the tables that the
pipeline reads at run time (data/lexicons, data/actors) and the trained relation models
(models/relation_model, models/relation_model_light, models/configs) become the package
folders nlp_relations/_data and nlp_relations/_models; nlp_relations.resources finds them in
either layout.
"""

from setuptools import find_namespace_packages, find_packages, setup

SHIPPED = {
    "nlp_relations._data": ("data", ["lexicons", "lexicons.*", "actors", "actors.*"]),
    "nlp_relations._models": ("models", ["relation_model", "relation_model.*",
                                          "relation_model_light", "relation_model_light.*",
                                          "configs"]),
}
# The tables and their data cards; every file of the model folders (spaCy decides their names).
FILES = {"data": ["*.tsv", "*.jsonl", "*.md"], "models": ["*"]}

packages = find_packages(include=["nlp_relations", "nlp_relations.*"])
package_dir = {}
package_data = {"nlp_relations": ["py.typed"]}
for package, (folder, include) in SHIPPED.items():
    package_dir[package] = folder
    for sub in [""] + find_namespace_packages(folder, include=include):
        name = f"{package}.{sub}" if sub else package
        packages.append(name)
        package_data[name] = FILES[folder]

setup(packages=packages, package_dir=package_dir, package_data=package_data)
