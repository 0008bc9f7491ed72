# SPDX-License-Identifier: BSD-2-Clause
# uio_net from the command line: help, option errors, and the binding against a fake
# sysfs + /dev tree ($DVM_UIO_ROOT; regular files stand for the UIO devices): missing
# devices and maps, capacities that do not fit their maps, then the interface step
# (an interface that does not exist). Nothing touches a real device or interface.
. "$(dirname "$0")/../lib.sh"

expect net_help 0 dvm uio_net --help
contains net_help_usage "Usage: uio_net [--rx-capacity N --tx-capacity N] [OPTIONS]"
contains net_help_exit "Exit status: 0 stopped by SIGTERM or SIGINT, 1 failed"
contains net_help_verbose "-v, --verbose"
contains net_help_prefix "--prefix P"
expect net_bad_option 2 dvm uio_net --rx-capacity 8 --tx-capacity 8 --bogus 1
contains net_bad_option_msg "unknown option '--bogus'"
expect net_no_value 2 dvm uio_net --rx-capacity 8 --tx-capacity
contains net_no_value_msg "--tx-capacity needs a value"
expect net_too_big 2 dvm uio_net --rx-capacity 512 --tx-capacity 65536
contains net_too_big_msg "--tx-capacity '65536': expected a number from 1 to 32768"
expect net_zero_cap 2 dvm uio_net --rx-capacity 0 --tx-capacity 8
contains net_zero_cap_msg "--rx-capacity '0': expected a number from 1 to 32768"
expect net_not_number 2 dvm uio_net --rx-capacity 8 --tx-capacity 8 --stats=1x
contains net_not_number_msg "--stats '1x': expected a number from 0 to 16777216"
expect net_empty_if 2 dvm uio_net --rx-capacity 8 --tx-capacity 8 --if ''
contains net_empty_if_msg "--if '': expected an interface name (1 to 15 characters"
expect net_empty_uio 2 dvm uio_net --rx-capacity 8 --tx-capacity 8 --uio-tx=
contains net_empty_uio_msg "--uio-tx '': expected a UIO device name"
expect net_verbose_long 2 dvm uio_net --verbose --rx-capacity 0
contains net_verbose_long_msg "--rx-capacity '0': expected a number"
expect net_flag_value 2 dvm uio_net --verbose=1 --rx-capacity 8 --tx-capacity 8
contains net_flag_value_msg "--verbose takes no value"

# A fake tree: uio3 = net-rx (notify, free, active, data), uio5 = net-tx (notify, free,
# active, data0, data1), maps of one page each except the data.
R=$T_TMP/root
export DVM_UIO_ROOT=$R
mkdir -p "$R/sys/class/uio" "$R/dev"
expect net_no_device 1 dvm uio_net --rx-capacity 8 --tx-capacity 8
contains net_no_device_msg "no UIO device named 'net-rx'"
mkdir -p "$R/sys/class/uio/uio3" "$R/sys/class/uio/uio5"
echo net-rx >"$R/sys/class/uio/uio3/name"
echo net-tx >"$R/sys/class/uio/uio5/name"
truncate -s 5M "$R/dev/uio3" "$R/dev/uio5"
uio_map "$R" 3 0 notify 0x4fc00000 0x1000
uio_map "$R" 3 1 free 0x4fc01000 0x1000
uio_map "$R" 3 2 active 0x4fc02000 0x1000
expect net_rx_no_data 1 dvm uio_net --rx-capacity 8 --tx-capacity 8
contains net_rx_no_data_msg "uio3 (net-rx): no map named 'data' (reg-names)"
uio_map "$R" 3 3 data 0x4fd00000 0x10000
uio_map "$R" 5 0 notify 0x4fc10000 0x1000
uio_map "$R" 5 1 free 0x4fc11000 0x1000
uio_map "$R" 5 2 active 0x4fc12000 0x1000
uio_map "$R" 5 3 data0 0x4fe00000 0x10000
uio_map "$R" 5 4 data1 0x4fe10000 0x10000
expect net_no_caps 1 dvm uio_net --if eth0
contains net_no_caps_msg "--rx-capacity and --tx-capacity are required"
expect net_cap_too_big_for_map 1 dvm uio_net --rx-capacity 256 --tx-capacity 8
contains net_cap_too_big_for_map_msg "--rx-capacity 256: the free queue needs 8 + 16 * 256 bytes, its map has 0x1000"
expect net_no_interface 1 dvm uio_net --rx-capacity 128 --tx-capacity 128 --if dvmtest0
contains net_no_interface_bound "dvm binding: uio3 'net-rx', uio5 'net-tx': maps by name; RX data 0x10000 bytes, 2 TX data region(s)"
if [ "$(id -u)" = 0 ]; then
	contains net_no_interface_msg "dvmtest0: no such interface (--if)"
else # no CAP_NET_RAW: the socket itself is refused, named as such
	contains net_no_interface_msg "dvmtest0: AF_PACKET socket:"
fi
expect net_bad_ifname 2 dvm uio_net --rx-capacity 8 --tx-capacity 8 --if averyveryverylongname
contains net_bad_ifname_msg "--if 'averyveryverylongname': expected an interface name"
finish
