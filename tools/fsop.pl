#!/usr/bin/perl
# tools/fsop.pl: mkdir and rmdir without a fork each, for shell drivers
# (tools/drift.sh, tests/bats/stats.bats) that make thousands of groups:
# reads "m DIR" or "r DIR" lines, answers "ok" or the error, one per line.
use strict;
use warnings;
$| = 1;
while (my $l = <STDIN>) {
	chomp $l;
	my ($op, $d) = split / /, $l, 2;
	my $ok = $op eq "m" ? mkdir($d) : rmdir($d);
	print $ok ? "ok\n" : "$!\n";
}
