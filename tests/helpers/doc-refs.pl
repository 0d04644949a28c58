#!/usr/bin/perl
# doc-refs.pl FILE.md...: print "FILE: REF" for each reference in the
# Markdown files to a repository file that does not exist, and for each
# reference to something outside the repository (the project's private
# notes, seeds, issues, sessions).  Run from the repository root.
# Markdown links resolve from the file's directory; `path` in backticks
# from the root.  PENDING_DOCS (space-separated) names docs/ pages that
# other branches add: reported with a "pending" prefix while missing.
use strict;
use warnings;
use File::Basename qw(dirname);

my %pending = map { $_ => 1 } split ' ', ($ENV{PENDING_DOCS} // '');
my $bad = 0;
my $outside = qr/(cgroup-interface\.md|kernel-model\.md|zombies-in-the-field|fuse-lessons|shared\/spec|shared\/seeds|\bseed 0\d\d\b|\bissue #\d+|\bsession \d+\b|\/work\/)/i;

for my $f (@ARGV) {
	open(my $fh, '<', $f) or die "$f: $!\n";
	my $text = do { local $/; <$fh> };
	my $dir = dirname($f);
	while ($text =~ /$outside/g) {
		print "$f: outside the repository: $1\n";
		$bad = 1;
	}
	my %refs;
	# [text](target): local targets only, anchors dropped
	while ($text =~ /\]\(([^)\s]+)\)/g) {
		my $t = $1;
		next if $t =~ /^(?:https?|mailto):/ || $t =~ /^#/;
		$t =~ s/#.*//;
		$refs{"$dir/$t"} = $t;
	}
	# `dir/file` in backticks, for the repository's top directories
	while ($text =~ /`((?:fs|core|allocator|tools|tests|docs|dist)\/[\w.\/@-]+)`/g) {
		my $t = $1;
		$refs{$t} = $t;
	}
	for my $p (sort keys %refs) {
		next if -e $p;
		(my $norm = $p) =~ s{^(?:\./)?}{};
		$norm =~ s{[^/]+/\.\./}{}g;
		next if -e $norm;
		if ($pending{$norm}) {
			print "pending: $f: $refs{$p}\n";
			next;
		}
		print "$f: no such file: $refs{$p}\n";
		$bad = 1;
	}
}
exit $bad;
