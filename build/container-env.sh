# Sourced by build/image.sh and build/test.sh: buildah and podman as root on the CI machines, with their storage under
# out/containers/ (private to this checkout, removed with out/). Verified there: runc as the runtime (crun fails on
# their cgroup layout), cgroupfs as the cgroup manager, and no default ulimits (setrlimit is refused).
# The container tests run podman with the same environment (tests/ApicastSidecarProxy.FunctionalTests/Container/).
containers_dir=$(realpath -m "$(dirname "${BASH_SOURCE[0]}")/../out/containers")
mkdir -p "$containers_dir"
cat > "$containers_dir/containers.conf" <<CONF
[containers]
default_ulimits = []
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
cat > "$containers_dir/storage.conf" <<CONF
[storage]
driver = "vfs"
graphroot = "$containers_dir/storage"
runroot = "$containers_dir/run"
CONF
export CONTAINERS_CONF=$containers_dir/containers.conf
export CONTAINERS_STORAGE_CONF=$containers_dir/storage.conf
unset containers_dir
