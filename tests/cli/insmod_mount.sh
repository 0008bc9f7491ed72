# SPDX-License-Identifier: BSD-2-Clause
# insmod, mount and umount from the command line: help, usage errors and the failures
# that need no privileged side effect. Nothing is loaded or mounted: the only syscalls
# that reach the kernel name paths that do not exist.
. "$(dirname "$0")/../lib.sh"

expect insmod_help 0 dvm insmod --help
contains insmod_help_usage "Usage: insmod [-v] FILE [PARAM=VALUE"
contains insmod_help_exit "Exit status:"
expect insmod_no_args 2 dvm insmod
contains insmod_no_args_msg "insmod: no module file given"
expect insmod_bad_option 2 dvm insmod -x foo.ko
contains insmod_bad_option_msg "unknown option '-x'"
expect insmod_missing_file 1 dvm insmod "$T_TMP/missing.ko"
contains insmod_missing_file_msg "insmod: $T_TMP/missing.ko: no such module file"
mkdir -p "$T_TMP/moddir.ko"
expect insmod_directory 1 dvm insmod "$T_TMP/moddir.ko"
contains insmod_directory_msg "insmod: $T_TMP/moddir.ko: is a directory, not a module file"
expect insmod_missing_name 1 dvm insmod dvm-test-no-such-module
contains insmod_missing_name_msg "dvm-test-no-such-module: no such module file"
expect insmod_two_files 2 dvm insmod "$T_TMP/a.ko" "$T_TMP/b.ko"
contains insmod_two_files_msg "looks like a second module file"
expect insmod_nameless_param 2 dvm insmod "$T_TMP/a.ko" =1
contains insmod_nameless_param_msg "parameter '=1' has no name"

expect mount_help 0 dvm mount --help
contains mount_help_usage "Usage: mount [-r|-w] [-v] [-t TYPE] [-o OPTIONS] SOURCE DIR"
contains mount_help_opts "[r]shared [r]private"
expect mount_list 0 dvm mount
contains mount_list_proc " /proc proc "
expect mount_bad_option 2 dvm mount -q a b
contains mount_bad_option_msg "mount: unknown option '-q'"
expect mount_bad_long_option 2 dvm mount --make-bogus /x
contains mount_bad_long_option_msg "unknown option '--make-bogus'"
expect mount_too_many 2 dvm mount a b c
contains mount_too_many_msg "too many arguments: 'c'"
expect mount_one_arg 2 dvm mount /mnt
contains mount_one_arg_msg "need SOURCE and DIR"
expect mount_t_no_value 2 dvm mount a b -t
contains mount_t_no_value_msg "option -t needs a value"
expect mount_opts_only 2 dvm mount -o ro
contains mount_opts_only_msg "nothing to mount"
long=$(head -c 4200 /dev/zero | tr '\0' x)
expect mount_opts_too_long 2 dvm mount -o "$long" none "$T_TMP"
contains mount_opts_too_long_msg "filesystem options too long (more than 4095 bytes)"
expect mount_missing_dir 1 dvm mount -t tmpfs -o size=1M none "$T_TMP/nonexistent"
contains mount_missing_dir_msg "mount: none on $T_TMP/nonexistent: mount point $T_TMP/nonexistent does not exist"

expect umount_help 0 dvm umount --help
contains umount_help_usage "Usage: umount [-l] [-f] [-v] DIR..."
expect umount_no_args 2 dvm umount
contains umount_no_args_msg "umount: no mount point given"
expect umount_bad_option 2 dvm umount -z /x
contains umount_bad_option_msg "unknown option '-z'"
expect umount_missing 1 dvm umount "$T_TMP/nonexistent"
contains umount_missing_msg "umount: $T_TMP/nonexistent: no such file or directory"
# a fresh directory is no mount point (or, without root, not ours to unmount)
mkdir "$T_TMP/plain"
expect umount_not_mounted 1 dvm umount -l "$T_TMP/plain"
case $OUT in
*"$T_TMP/plain: not a mount point"* | *"$T_TMP/plain: operation not permitted"*) pass umount_not_mounted_msg ;;
*) fail umount_not_mounted_msg "unexpected output: $OUT" ;;
esac

finish
