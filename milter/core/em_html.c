/*
 * em_html - HTML to text (see em_html.h).
 *
 * Owns: a tolerant, linear HTML tag stripper with the WHATWG named character
 * references, and the two readings of a message's HTML: as stored (every
 * text node, hidden or not) and as displayed (what a mail client shows:
 * hidden elements dropped, bidi overrides applied), plus the text of
 * <img alt> and title= attributes. Split out of em_text.c.
 * Depends on libc and em_text's UTF-8 helpers only: never libmilter, syslog
 * or libconfig; never logs, never exits; out of memory is returned as -1.
 * Limits: none on input size; every pass is linear in its input.
 */
#define _GNU_SOURCE	/* memmem */
#include "em_html.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "em_text.h"

#define utf8_decode em_utf8_decode
#define buf_put_cp em_utf8_put

/* ---------------------------------------------------------------------------
 * HTML character references
 */

/*
 * Every WHATWG named character reference (generated from the HTML standard's
 * entities list, as shipped in Python's html.entities.html5), sorted by
 * byte value for binary search. legacy marks the names a browser also
 * recognizes without the closing ';' ("&nbsp", "&copy", ...).
 */
struct entity {
	const char *name;
	const char *utf8;
	unsigned char legacy;
};

static const struct entity entities[] = {
	{"AElig", "\xc3\x86", 1}, {"AMP", "\x26", 1}, {"Aacute", "\xc3\x81", 1},
	{"Abreve", "\xc4\x82", 0}, {"Acirc", "\xc3\x82", 1}, {"Acy", "\xd0\x90", 0},
	{"Afr", "\xf0\x9d\x94\x84", 0}, {"Agrave", "\xc3\x80", 1}, {"Alpha", "\xce\x91", 0},
	{"Amacr", "\xc4\x80", 0}, {"And", "\xe2\xa9\x93", 0}, {"Aogon", "\xc4\x84", 0},
	{"Aopf", "\xf0\x9d\x94\xb8", 0}, {"ApplyFunction", "\xe2\x81\xa1", 0},
	{"Aring", "\xc3\x85", 1}, {"Ascr", "\xf0\x9d\x92\x9c", 0}, {"Assign", "\xe2\x89\x94", 0},
	{"Atilde", "\xc3\x83", 1}, {"Auml", "\xc3\x84", 1}, {"Backslash", "\xe2\x88\x96", 0},
	{"Barv", "\xe2\xab\xa7", 0}, {"Barwed", "\xe2\x8c\x86", 0}, {"Bcy", "\xd0\x91", 0},
	{"Because", "\xe2\x88\xb5", 0}, {"Bernoullis", "\xe2\x84\xac", 0}, {"Beta", "\xce\x92", 0},
	{"Bfr", "\xf0\x9d\x94\x85", 0}, {"Bopf", "\xf0\x9d\x94\xb9", 0}, {"Breve", "\xcb\x98", 0},
	{"Bscr", "\xe2\x84\xac", 0}, {"Bumpeq", "\xe2\x89\x8e", 0}, {"CHcy", "\xd0\xa7", 0},
	{"COPY", "\xc2\xa9", 1}, {"Cacute", "\xc4\x86", 0}, {"Cap", "\xe2\x8b\x92", 0},
	{"CapitalDifferentialD", "\xe2\x85\x85", 0}, {"Cayleys", "\xe2\x84\xad", 0},
	{"Ccaron", "\xc4\x8c", 0}, {"Ccedil", "\xc3\x87", 1}, {"Ccirc", "\xc4\x88", 0},
	{"Cconint", "\xe2\x88\xb0", 0}, {"Cdot", "\xc4\x8a", 0}, {"Cedilla", "\xc2\xb8", 0},
	{"CenterDot", "\xc2\xb7", 0}, {"Cfr", "\xe2\x84\xad", 0}, {"Chi", "\xce\xa7", 0},
	{"CircleDot", "\xe2\x8a\x99", 0}, {"CircleMinus", "\xe2\x8a\x96", 0},
	{"CirclePlus", "\xe2\x8a\x95", 0}, {"CircleTimes", "\xe2\x8a\x97", 0},
	{"ClockwiseContourIntegral", "\xe2\x88\xb2", 0}, {"CloseCurlyDoubleQuote", "\xe2\x80\x9d", 0},
	{"CloseCurlyQuote", "\xe2\x80\x99", 0}, {"Colon", "\xe2\x88\xb7", 0},
	{"Colone", "\xe2\xa9\xb4", 0}, {"Congruent", "\xe2\x89\xa1", 0},
	{"Conint", "\xe2\x88\xaf", 0}, {"ContourIntegral", "\xe2\x88\xae", 0},
	{"Copf", "\xe2\x84\x82", 0}, {"Coproduct", "\xe2\x88\x90", 0},
	{"CounterClockwiseContourIntegral", "\xe2\x88\xb3", 0}, {"Cross", "\xe2\xa8\xaf", 0},
	{"Cscr", "\xf0\x9d\x92\x9e", 0}, {"Cup", "\xe2\x8b\x93", 0}, {"CupCap", "\xe2\x89\x8d", 0},
	{"DD", "\xe2\x85\x85", 0}, {"DDotrahd", "\xe2\xa4\x91", 0}, {"DJcy", "\xd0\x82", 0},
	{"DScy", "\xd0\x85", 0}, {"DZcy", "\xd0\x8f", 0}, {"Dagger", "\xe2\x80\xa1", 0},
	{"Darr", "\xe2\x86\xa1", 0}, {"Dashv", "\xe2\xab\xa4", 0}, {"Dcaron", "\xc4\x8e", 0},
	{"Dcy", "\xd0\x94", 0}, {"Del", "\xe2\x88\x87", 0}, {"Delta", "\xce\x94", 0},
	{"Dfr", "\xf0\x9d\x94\x87", 0}, {"DiacriticalAcute", "\xc2\xb4", 0},
	{"DiacriticalDot", "\xcb\x99", 0}, {"DiacriticalDoubleAcute", "\xcb\x9d", 0},
	{"DiacriticalGrave", "\x60", 0}, {"DiacriticalTilde", "\xcb\x9c", 0},
	{"Diamond", "\xe2\x8b\x84", 0}, {"DifferentialD", "\xe2\x85\x86", 0},
	{"Dopf", "\xf0\x9d\x94\xbb", 0}, {"Dot", "\xc2\xa8", 0}, {"DotDot", "\xe2\x83\x9c", 0},
	{"DotEqual", "\xe2\x89\x90", 0}, {"DoubleContourIntegral", "\xe2\x88\xaf", 0},
	{"DoubleDot", "\xc2\xa8", 0}, {"DoubleDownArrow", "\xe2\x87\x93", 0},
	{"DoubleLeftArrow", "\xe2\x87\x90", 0}, {"DoubleLeftRightArrow", "\xe2\x87\x94", 0},
	{"DoubleLeftTee", "\xe2\xab\xa4", 0}, {"DoubleLongLeftArrow", "\xe2\x9f\xb8", 0},
	{"DoubleLongLeftRightArrow", "\xe2\x9f\xba", 0}, {"DoubleLongRightArrow", "\xe2\x9f\xb9", 0},
	{"DoubleRightArrow", "\xe2\x87\x92", 0}, {"DoubleRightTee", "\xe2\x8a\xa8", 0},
	{"DoubleUpArrow", "\xe2\x87\x91", 0}, {"DoubleUpDownArrow", "\xe2\x87\x95", 0},
	{"DoubleVerticalBar", "\xe2\x88\xa5", 0}, {"DownArrow", "\xe2\x86\x93", 0},
	{"DownArrowBar", "\xe2\xa4\x93", 0}, {"DownArrowUpArrow", "\xe2\x87\xb5", 0},
	{"DownBreve", "\xcc\x91", 0}, {"DownLeftRightVector", "\xe2\xa5\x90", 0},
	{"DownLeftTeeVector", "\xe2\xa5\x9e", 0}, {"DownLeftVector", "\xe2\x86\xbd", 0},
	{"DownLeftVectorBar", "\xe2\xa5\x96", 0}, {"DownRightTeeVector", "\xe2\xa5\x9f", 0},
	{"DownRightVector", "\xe2\x87\x81", 0}, {"DownRightVectorBar", "\xe2\xa5\x97", 0},
	{"DownTee", "\xe2\x8a\xa4", 0}, {"DownTeeArrow", "\xe2\x86\xa7", 0},
	{"Downarrow", "\xe2\x87\x93", 0}, {"Dscr", "\xf0\x9d\x92\x9f", 0}, {"Dstrok", "\xc4\x90", 0},
	{"ENG", "\xc5\x8a", 0}, {"ETH", "\xc3\x90", 1}, {"Eacute", "\xc3\x89", 1},
	{"Ecaron", "\xc4\x9a", 0}, {"Ecirc", "\xc3\x8a", 1}, {"Ecy", "\xd0\xad", 0},
	{"Edot", "\xc4\x96", 0}, {"Efr", "\xf0\x9d\x94\x88", 0}, {"Egrave", "\xc3\x88", 1},
	{"Element", "\xe2\x88\x88", 0}, {"Emacr", "\xc4\x92", 0},
	{"EmptySmallSquare", "\xe2\x97\xbb", 0}, {"EmptyVerySmallSquare", "\xe2\x96\xab", 0},
	{"Eogon", "\xc4\x98", 0}, {"Eopf", "\xf0\x9d\x94\xbc", 0}, {"Epsilon", "\xce\x95", 0},
	{"Equal", "\xe2\xa9\xb5", 0}, {"EqualTilde", "\xe2\x89\x82", 0},
	{"Equilibrium", "\xe2\x87\x8c", 0}, {"Escr", "\xe2\x84\xb0", 0}, {"Esim", "\xe2\xa9\xb3", 0},
	{"Eta", "\xce\x97", 0}, {"Euml", "\xc3\x8b", 1}, {"Exists", "\xe2\x88\x83", 0},
	{"ExponentialE", "\xe2\x85\x87", 0}, {"Fcy", "\xd0\xa4", 0}, {"Ffr", "\xf0\x9d\x94\x89", 0},
	{"FilledSmallSquare", "\xe2\x97\xbc", 0}, {"FilledVerySmallSquare", "\xe2\x96\xaa", 0},
	{"Fopf", "\xf0\x9d\x94\xbd", 0}, {"ForAll", "\xe2\x88\x80", 0},
	{"Fouriertrf", "\xe2\x84\xb1", 0}, {"Fscr", "\xe2\x84\xb1", 0}, {"GJcy", "\xd0\x83", 0},
	{"GT", "\x3e", 1}, {"Gamma", "\xce\x93", 0}, {"Gammad", "\xcf\x9c", 0},
	{"Gbreve", "\xc4\x9e", 0}, {"Gcedil", "\xc4\xa2", 0}, {"Gcirc", "\xc4\x9c", 0},
	{"Gcy", "\xd0\x93", 0}, {"Gdot", "\xc4\xa0", 0}, {"Gfr", "\xf0\x9d\x94\x8a", 0},
	{"Gg", "\xe2\x8b\x99", 0}, {"Gopf", "\xf0\x9d\x94\xbe", 0},
	{"GreaterEqual", "\xe2\x89\xa5", 0}, {"GreaterEqualLess", "\xe2\x8b\x9b", 0},
	{"GreaterFullEqual", "\xe2\x89\xa7", 0}, {"GreaterGreater", "\xe2\xaa\xa2", 0},
	{"GreaterLess", "\xe2\x89\xb7", 0}, {"GreaterSlantEqual", "\xe2\xa9\xbe", 0},
	{"GreaterTilde", "\xe2\x89\xb3", 0}, {"Gscr", "\xf0\x9d\x92\xa2", 0},
	{"Gt", "\xe2\x89\xab", 0}, {"HARDcy", "\xd0\xaa", 0}, {"Hacek", "\xcb\x87", 0},
	{"Hat", "\x5e", 0}, {"Hcirc", "\xc4\xa4", 0}, {"Hfr", "\xe2\x84\x8c", 0},
	{"HilbertSpace", "\xe2\x84\x8b", 0}, {"Hopf", "\xe2\x84\x8d", 0},
	{"HorizontalLine", "\xe2\x94\x80", 0}, {"Hscr", "\xe2\x84\x8b", 0}, {"Hstrok", "\xc4\xa6", 0},
	{"HumpDownHump", "\xe2\x89\x8e", 0}, {"HumpEqual", "\xe2\x89\x8f", 0},
	{"IEcy", "\xd0\x95", 0}, {"IJlig", "\xc4\xb2", 0}, {"IOcy", "\xd0\x81", 0},
	{"Iacute", "\xc3\x8d", 1}, {"Icirc", "\xc3\x8e", 1}, {"Icy", "\xd0\x98", 0},
	{"Idot", "\xc4\xb0", 0}, {"Ifr", "\xe2\x84\x91", 0}, {"Igrave", "\xc3\x8c", 1},
	{"Im", "\xe2\x84\x91", 0}, {"Imacr", "\xc4\xaa", 0}, {"ImaginaryI", "\xe2\x85\x88", 0},
	{"Implies", "\xe2\x87\x92", 0}, {"Int", "\xe2\x88\xac", 0}, {"Integral", "\xe2\x88\xab", 0},
	{"Intersection", "\xe2\x8b\x82", 0}, {"InvisibleComma", "\xe2\x81\xa3", 0},
	{"InvisibleTimes", "\xe2\x81\xa2", 0}, {"Iogon", "\xc4\xae", 0},
	{"Iopf", "\xf0\x9d\x95\x80", 0}, {"Iota", "\xce\x99", 0}, {"Iscr", "\xe2\x84\x90", 0},
	{"Itilde", "\xc4\xa8", 0}, {"Iukcy", "\xd0\x86", 0}, {"Iuml", "\xc3\x8f", 1},
	{"Jcirc", "\xc4\xb4", 0}, {"Jcy", "\xd0\x99", 0}, {"Jfr", "\xf0\x9d\x94\x8d", 0},
	{"Jopf", "\xf0\x9d\x95\x81", 0}, {"Jscr", "\xf0\x9d\x92\xa5", 0}, {"Jsercy", "\xd0\x88", 0},
	{"Jukcy", "\xd0\x84", 0}, {"KHcy", "\xd0\xa5", 0}, {"KJcy", "\xd0\x8c", 0},
	{"Kappa", "\xce\x9a", 0}, {"Kcedil", "\xc4\xb6", 0}, {"Kcy", "\xd0\x9a", 0},
	{"Kfr", "\xf0\x9d\x94\x8e", 0}, {"Kopf", "\xf0\x9d\x95\x82", 0},
	{"Kscr", "\xf0\x9d\x92\xa6", 0}, {"LJcy", "\xd0\x89", 0}, {"LT", "\x3c", 1},
	{"Lacute", "\xc4\xb9", 0}, {"Lambda", "\xce\x9b", 0}, {"Lang", "\xe2\x9f\xaa", 0},
	{"Laplacetrf", "\xe2\x84\x92", 0}, {"Larr", "\xe2\x86\x9e", 0}, {"Lcaron", "\xc4\xbd", 0},
	{"Lcedil", "\xc4\xbb", 0}, {"Lcy", "\xd0\x9b", 0}, {"LeftAngleBracket", "\xe2\x9f\xa8", 0},
	{"LeftArrow", "\xe2\x86\x90", 0}, {"LeftArrowBar", "\xe2\x87\xa4", 0},
	{"LeftArrowRightArrow", "\xe2\x87\x86", 0}, {"LeftCeiling", "\xe2\x8c\x88", 0},
	{"LeftDoubleBracket", "\xe2\x9f\xa6", 0}, {"LeftDownTeeVector", "\xe2\xa5\xa1", 0},
	{"LeftDownVector", "\xe2\x87\x83", 0}, {"LeftDownVectorBar", "\xe2\xa5\x99", 0},
	{"LeftFloor", "\xe2\x8c\x8a", 0}, {"LeftRightArrow", "\xe2\x86\x94", 0},
	{"LeftRightVector", "\xe2\xa5\x8e", 0}, {"LeftTee", "\xe2\x8a\xa3", 0},
	{"LeftTeeArrow", "\xe2\x86\xa4", 0}, {"LeftTeeVector", "\xe2\xa5\x9a", 0},
	{"LeftTriangle", "\xe2\x8a\xb2", 0}, {"LeftTriangleBar", "\xe2\xa7\x8f", 0},
	{"LeftTriangleEqual", "\xe2\x8a\xb4", 0}, {"LeftUpDownVector", "\xe2\xa5\x91", 0},
	{"LeftUpTeeVector", "\xe2\xa5\xa0", 0}, {"LeftUpVector", "\xe2\x86\xbf", 0},
	{"LeftUpVectorBar", "\xe2\xa5\x98", 0}, {"LeftVector", "\xe2\x86\xbc", 0},
	{"LeftVectorBar", "\xe2\xa5\x92", 0}, {"Leftarrow", "\xe2\x87\x90", 0},
	{"Leftrightarrow", "\xe2\x87\x94", 0}, {"LessEqualGreater", "\xe2\x8b\x9a", 0},
	{"LessFullEqual", "\xe2\x89\xa6", 0}, {"LessGreater", "\xe2\x89\xb6", 0},
	{"LessLess", "\xe2\xaa\xa1", 0}, {"LessSlantEqual", "\xe2\xa9\xbd", 0},
	{"LessTilde", "\xe2\x89\xb2", 0}, {"Lfr", "\xf0\x9d\x94\x8f", 0}, {"Ll", "\xe2\x8b\x98", 0},
	{"Lleftarrow", "\xe2\x87\x9a", 0}, {"Lmidot", "\xc4\xbf", 0},
	{"LongLeftArrow", "\xe2\x9f\xb5", 0}, {"LongLeftRightArrow", "\xe2\x9f\xb7", 0},
	{"LongRightArrow", "\xe2\x9f\xb6", 0}, {"Longleftarrow", "\xe2\x9f\xb8", 0},
	{"Longleftrightarrow", "\xe2\x9f\xba", 0}, {"Longrightarrow", "\xe2\x9f\xb9", 0},
	{"Lopf", "\xf0\x9d\x95\x83", 0}, {"LowerLeftArrow", "\xe2\x86\x99", 0},
	{"LowerRightArrow", "\xe2\x86\x98", 0}, {"Lscr", "\xe2\x84\x92", 0},
	{"Lsh", "\xe2\x86\xb0", 0}, {"Lstrok", "\xc5\x81", 0}, {"Lt", "\xe2\x89\xaa", 0},
	{"Map", "\xe2\xa4\x85", 0}, {"Mcy", "\xd0\x9c", 0}, {"MediumSpace", "\xe2\x81\x9f", 0},
	{"Mellintrf", "\xe2\x84\xb3", 0}, {"Mfr", "\xf0\x9d\x94\x90", 0},
	{"MinusPlus", "\xe2\x88\x93", 0}, {"Mopf", "\xf0\x9d\x95\x84", 0},
	{"Mscr", "\xe2\x84\xb3", 0}, {"Mu", "\xce\x9c", 0}, {"NJcy", "\xd0\x8a", 0},
	{"Nacute", "\xc5\x83", 0}, {"Ncaron", "\xc5\x87", 0}, {"Ncedil", "\xc5\x85", 0},
	{"Ncy", "\xd0\x9d", 0}, {"NegativeMediumSpace", "\xe2\x80\x8b", 0},
	{"NegativeThickSpace", "\xe2\x80\x8b", 0}, {"NegativeThinSpace", "\xe2\x80\x8b", 0},
	{"NegativeVeryThinSpace", "\xe2\x80\x8b", 0}, {"NestedGreaterGreater", "\xe2\x89\xab", 0},
	{"NestedLessLess", "\xe2\x89\xaa", 0}, {"NewLine", "\x0a", 0}, {"Nfr", "\xf0\x9d\x94\x91", 0},
	{"NoBreak", "\xe2\x81\xa0", 0}, {"NonBreakingSpace", "\xc2\xa0", 0},
	{"Nopf", "\xe2\x84\x95", 0}, {"Not", "\xe2\xab\xac", 0}, {"NotCongruent", "\xe2\x89\xa2", 0},
	{"NotCupCap", "\xe2\x89\xad", 0}, {"NotDoubleVerticalBar", "\xe2\x88\xa6", 0},
	{"NotElement", "\xe2\x88\x89", 0}, {"NotEqual", "\xe2\x89\xa0", 0},
	{"NotEqualTilde", "\xe2\x89\x82\xcc\xb8", 0}, {"NotExists", "\xe2\x88\x84", 0},
	{"NotGreater", "\xe2\x89\xaf", 0}, {"NotGreaterEqual", "\xe2\x89\xb1", 0},
	{"NotGreaterFullEqual", "\xe2\x89\xa7\xcc\xb8", 0},
	{"NotGreaterGreater", "\xe2\x89\xab\xcc\xb8", 0}, {"NotGreaterLess", "\xe2\x89\xb9", 0},
	{"NotGreaterSlantEqual", "\xe2\xa9\xbe\xcc\xb8", 0}, {"NotGreaterTilde", "\xe2\x89\xb5", 0},
	{"NotHumpDownHump", "\xe2\x89\x8e\xcc\xb8", 0}, {"NotHumpEqual", "\xe2\x89\x8f\xcc\xb8", 0},
	{"NotLeftTriangle", "\xe2\x8b\xaa", 0}, {"NotLeftTriangleBar", "\xe2\xa7\x8f\xcc\xb8", 0},
	{"NotLeftTriangleEqual", "\xe2\x8b\xac", 0}, {"NotLess", "\xe2\x89\xae", 0},
	{"NotLessEqual", "\xe2\x89\xb0", 0}, {"NotLessGreater", "\xe2\x89\xb8", 0},
	{"NotLessLess", "\xe2\x89\xaa\xcc\xb8", 0}, {"NotLessSlantEqual", "\xe2\xa9\xbd\xcc\xb8", 0},
	{"NotLessTilde", "\xe2\x89\xb4", 0}, {"NotNestedGreaterGreater", "\xe2\xaa\xa2\xcc\xb8", 0},
	{"NotNestedLessLess", "\xe2\xaa\xa1\xcc\xb8", 0}, {"NotPrecedes", "\xe2\x8a\x80", 0},
	{"NotPrecedesEqual", "\xe2\xaa\xaf\xcc\xb8", 0}, {"NotPrecedesSlantEqual", "\xe2\x8b\xa0", 0},
	{"NotReverseElement", "\xe2\x88\x8c", 0}, {"NotRightTriangle", "\xe2\x8b\xab", 0},
	{"NotRightTriangleBar", "\xe2\xa7\x90\xcc\xb8", 0},
	{"NotRightTriangleEqual", "\xe2\x8b\xad", 0}, {"NotSquareSubset", "\xe2\x8a\x8f\xcc\xb8", 0},
	{"NotSquareSubsetEqual", "\xe2\x8b\xa2", 0}, {"NotSquareSuperset", "\xe2\x8a\x90\xcc\xb8", 0},
	{"NotSquareSupersetEqual", "\xe2\x8b\xa3", 0}, {"NotSubset", "\xe2\x8a\x82\xe2\x83\x92", 0},
	{"NotSubsetEqual", "\xe2\x8a\x88", 0}, {"NotSucceeds", "\xe2\x8a\x81", 0},
	{"NotSucceedsEqual", "\xe2\xaa\xb0\xcc\xb8", 0}, {"NotSucceedsSlantEqual", "\xe2\x8b\xa1", 0},
	{"NotSucceedsTilde", "\xe2\x89\xbf\xcc\xb8", 0},
	{"NotSuperset", "\xe2\x8a\x83\xe2\x83\x92", 0}, {"NotSupersetEqual", "\xe2\x8a\x89", 0},
	{"NotTilde", "\xe2\x89\x81", 0}, {"NotTildeEqual", "\xe2\x89\x84", 0},
	{"NotTildeFullEqual", "\xe2\x89\x87", 0}, {"NotTildeTilde", "\xe2\x89\x89", 0},
	{"NotVerticalBar", "\xe2\x88\xa4", 0}, {"Nscr", "\xf0\x9d\x92\xa9", 0},
	{"Ntilde", "\xc3\x91", 1}, {"Nu", "\xce\x9d", 0}, {"OElig", "\xc5\x92", 0},
	{"Oacute", "\xc3\x93", 1}, {"Ocirc", "\xc3\x94", 1}, {"Ocy", "\xd0\x9e", 0},
	{"Odblac", "\xc5\x90", 0}, {"Ofr", "\xf0\x9d\x94\x92", 0}, {"Ograve", "\xc3\x92", 1},
	{"Omacr", "\xc5\x8c", 0}, {"Omega", "\xce\xa9", 0}, {"Omicron", "\xce\x9f", 0},
	{"Oopf", "\xf0\x9d\x95\x86", 0}, {"OpenCurlyDoubleQuote", "\xe2\x80\x9c", 0},
	{"OpenCurlyQuote", "\xe2\x80\x98", 0}, {"Or", "\xe2\xa9\x94", 0},
	{"Oscr", "\xf0\x9d\x92\xaa", 0}, {"Oslash", "\xc3\x98", 1}, {"Otilde", "\xc3\x95", 1},
	{"Otimes", "\xe2\xa8\xb7", 0}, {"Ouml", "\xc3\x96", 1}, {"OverBar", "\xe2\x80\xbe", 0},
	{"OverBrace", "\xe2\x8f\x9e", 0}, {"OverBracket", "\xe2\x8e\xb4", 0},
	{"OverParenthesis", "\xe2\x8f\x9c", 0}, {"PartialD", "\xe2\x88\x82", 0},
	{"Pcy", "\xd0\x9f", 0}, {"Pfr", "\xf0\x9d\x94\x93", 0}, {"Phi", "\xce\xa6", 0},
	{"Pi", "\xce\xa0", 0}, {"PlusMinus", "\xc2\xb1", 0}, {"Poincareplane", "\xe2\x84\x8c", 0},
	{"Popf", "\xe2\x84\x99", 0}, {"Pr", "\xe2\xaa\xbb", 0}, {"Precedes", "\xe2\x89\xba", 0},
	{"PrecedesEqual", "\xe2\xaa\xaf", 0}, {"PrecedesSlantEqual", "\xe2\x89\xbc", 0},
	{"PrecedesTilde", "\xe2\x89\xbe", 0}, {"Prime", "\xe2\x80\xb3", 0},
	{"Product", "\xe2\x88\x8f", 0}, {"Proportion", "\xe2\x88\xb7", 0},
	{"Proportional", "\xe2\x88\x9d", 0}, {"Pscr", "\xf0\x9d\x92\xab", 0}, {"Psi", "\xce\xa8", 0},
	{"QUOT", "\x22", 1}, {"Qfr", "\xf0\x9d\x94\x94", 0}, {"Qopf", "\xe2\x84\x9a", 0},
	{"Qscr", "\xf0\x9d\x92\xac", 0}, {"RBarr", "\xe2\xa4\x90", 0}, {"REG", "\xc2\xae", 1},
	{"Racute", "\xc5\x94", 0}, {"Rang", "\xe2\x9f\xab", 0}, {"Rarr", "\xe2\x86\xa0", 0},
	{"Rarrtl", "\xe2\xa4\x96", 0}, {"Rcaron", "\xc5\x98", 0}, {"Rcedil", "\xc5\x96", 0},
	{"Rcy", "\xd0\xa0", 0}, {"Re", "\xe2\x84\x9c", 0}, {"ReverseElement", "\xe2\x88\x8b", 0},
	{"ReverseEquilibrium", "\xe2\x87\x8b", 0}, {"ReverseUpEquilibrium", "\xe2\xa5\xaf", 0},
	{"Rfr", "\xe2\x84\x9c", 0}, {"Rho", "\xce\xa1", 0}, {"RightAngleBracket", "\xe2\x9f\xa9", 0},
	{"RightArrow", "\xe2\x86\x92", 0}, {"RightArrowBar", "\xe2\x87\xa5", 0},
	{"RightArrowLeftArrow", "\xe2\x87\x84", 0}, {"RightCeiling", "\xe2\x8c\x89", 0},
	{"RightDoubleBracket", "\xe2\x9f\xa7", 0}, {"RightDownTeeVector", "\xe2\xa5\x9d", 0},
	{"RightDownVector", "\xe2\x87\x82", 0}, {"RightDownVectorBar", "\xe2\xa5\x95", 0},
	{"RightFloor", "\xe2\x8c\x8b", 0}, {"RightTee", "\xe2\x8a\xa2", 0},
	{"RightTeeArrow", "\xe2\x86\xa6", 0}, {"RightTeeVector", "\xe2\xa5\x9b", 0},
	{"RightTriangle", "\xe2\x8a\xb3", 0}, {"RightTriangleBar", "\xe2\xa7\x90", 0},
	{"RightTriangleEqual", "\xe2\x8a\xb5", 0}, {"RightUpDownVector", "\xe2\xa5\x8f", 0},
	{"RightUpTeeVector", "\xe2\xa5\x9c", 0}, {"RightUpVector", "\xe2\x86\xbe", 0},
	{"RightUpVectorBar", "\xe2\xa5\x94", 0}, {"RightVector", "\xe2\x87\x80", 0},
	{"RightVectorBar", "\xe2\xa5\x93", 0}, {"Rightarrow", "\xe2\x87\x92", 0},
	{"Ropf", "\xe2\x84\x9d", 0}, {"RoundImplies", "\xe2\xa5\xb0", 0},
	{"Rrightarrow", "\xe2\x87\x9b", 0}, {"Rscr", "\xe2\x84\x9b", 0}, {"Rsh", "\xe2\x86\xb1", 0},
	{"RuleDelayed", "\xe2\xa7\xb4", 0}, {"SHCHcy", "\xd0\xa9", 0}, {"SHcy", "\xd0\xa8", 0},
	{"SOFTcy", "\xd0\xac", 0}, {"Sacute", "\xc5\x9a", 0}, {"Sc", "\xe2\xaa\xbc", 0},
	{"Scaron", "\xc5\xa0", 0}, {"Scedil", "\xc5\x9e", 0}, {"Scirc", "\xc5\x9c", 0},
	{"Scy", "\xd0\xa1", 0}, {"Sfr", "\xf0\x9d\x94\x96", 0}, {"ShortDownArrow", "\xe2\x86\x93", 0},
	{"ShortLeftArrow", "\xe2\x86\x90", 0}, {"ShortRightArrow", "\xe2\x86\x92", 0},
	{"ShortUpArrow", "\xe2\x86\x91", 0}, {"Sigma", "\xce\xa3", 0},
	{"SmallCircle", "\xe2\x88\x98", 0}, {"Sopf", "\xf0\x9d\x95\x8a", 0},
	{"Sqrt", "\xe2\x88\x9a", 0}, {"Square", "\xe2\x96\xa1", 0},
	{"SquareIntersection", "\xe2\x8a\x93", 0}, {"SquareSubset", "\xe2\x8a\x8f", 0},
	{"SquareSubsetEqual", "\xe2\x8a\x91", 0}, {"SquareSuperset", "\xe2\x8a\x90", 0},
	{"SquareSupersetEqual", "\xe2\x8a\x92", 0}, {"SquareUnion", "\xe2\x8a\x94", 0},
	{"Sscr", "\xf0\x9d\x92\xae", 0}, {"Star", "\xe2\x8b\x86", 0}, {"Sub", "\xe2\x8b\x90", 0},
	{"Subset", "\xe2\x8b\x90", 0}, {"SubsetEqual", "\xe2\x8a\x86", 0},
	{"Succeeds", "\xe2\x89\xbb", 0}, {"SucceedsEqual", "\xe2\xaa\xb0", 0},
	{"SucceedsSlantEqual", "\xe2\x89\xbd", 0}, {"SucceedsTilde", "\xe2\x89\xbf", 0},
	{"SuchThat", "\xe2\x88\x8b", 0}, {"Sum", "\xe2\x88\x91", 0}, {"Sup", "\xe2\x8b\x91", 0},
	{"Superset", "\xe2\x8a\x83", 0}, {"SupersetEqual", "\xe2\x8a\x87", 0},
	{"Supset", "\xe2\x8b\x91", 0}, {"THORN", "\xc3\x9e", 1}, {"TRADE", "\xe2\x84\xa2", 0},
	{"TSHcy", "\xd0\x8b", 0}, {"TScy", "\xd0\xa6", 0}, {"Tab", "\x09", 0}, {"Tau", "\xce\xa4", 0},
	{"Tcaron", "\xc5\xa4", 0}, {"Tcedil", "\xc5\xa2", 0}, {"Tcy", "\xd0\xa2", 0},
	{"Tfr", "\xf0\x9d\x94\x97", 0}, {"Therefore", "\xe2\x88\xb4", 0}, {"Theta", "\xce\x98", 0},
	{"ThickSpace", "\xe2\x81\x9f\xe2\x80\x8a", 0}, {"ThinSpace", "\xe2\x80\x89", 0},
	{"Tilde", "\xe2\x88\xbc", 0}, {"TildeEqual", "\xe2\x89\x83", 0},
	{"TildeFullEqual", "\xe2\x89\x85", 0}, {"TildeTilde", "\xe2\x89\x88", 0},
	{"Topf", "\xf0\x9d\x95\x8b", 0}, {"TripleDot", "\xe2\x83\x9b", 0},
	{"Tscr", "\xf0\x9d\x92\xaf", 0}, {"Tstrok", "\xc5\xa6", 0}, {"Uacute", "\xc3\x9a", 1},
	{"Uarr", "\xe2\x86\x9f", 0}, {"Uarrocir", "\xe2\xa5\x89", 0}, {"Ubrcy", "\xd0\x8e", 0},
	{"Ubreve", "\xc5\xac", 0}, {"Ucirc", "\xc3\x9b", 1}, {"Ucy", "\xd0\xa3", 0},
	{"Udblac", "\xc5\xb0", 0}, {"Ufr", "\xf0\x9d\x94\x98", 0}, {"Ugrave", "\xc3\x99", 1},
	{"Umacr", "\xc5\xaa", 0}, {"UnderBar", "\x5f", 0}, {"UnderBrace", "\xe2\x8f\x9f", 0},
	{"UnderBracket", "\xe2\x8e\xb5", 0}, {"UnderParenthesis", "\xe2\x8f\x9d", 0},
	{"Union", "\xe2\x8b\x83", 0}, {"UnionPlus", "\xe2\x8a\x8e", 0}, {"Uogon", "\xc5\xb2", 0},
	{"Uopf", "\xf0\x9d\x95\x8c", 0}, {"UpArrow", "\xe2\x86\x91", 0},
	{"UpArrowBar", "\xe2\xa4\x92", 0}, {"UpArrowDownArrow", "\xe2\x87\x85", 0},
	{"UpDownArrow", "\xe2\x86\x95", 0}, {"UpEquilibrium", "\xe2\xa5\xae", 0},
	{"UpTee", "\xe2\x8a\xa5", 0}, {"UpTeeArrow", "\xe2\x86\xa5", 0},
	{"Uparrow", "\xe2\x87\x91", 0}, {"Updownarrow", "\xe2\x87\x95", 0},
	{"UpperLeftArrow", "\xe2\x86\x96", 0}, {"UpperRightArrow", "\xe2\x86\x97", 0},
	{"Upsi", "\xcf\x92", 0}, {"Upsilon", "\xce\xa5", 0}, {"Uring", "\xc5\xae", 0},
	{"Uscr", "\xf0\x9d\x92\xb0", 0}, {"Utilde", "\xc5\xa8", 0}, {"Uuml", "\xc3\x9c", 1},
	{"VDash", "\xe2\x8a\xab", 0}, {"Vbar", "\xe2\xab\xab", 0}, {"Vcy", "\xd0\x92", 0},
	{"Vdash", "\xe2\x8a\xa9", 0}, {"Vdashl", "\xe2\xab\xa6", 0}, {"Vee", "\xe2\x8b\x81", 0},
	{"Verbar", "\xe2\x80\x96", 0}, {"Vert", "\xe2\x80\x96", 0},
	{"VerticalBar", "\xe2\x88\xa3", 0}, {"VerticalLine", "\x7c", 0},
	{"VerticalSeparator", "\xe2\x9d\x98", 0}, {"VerticalTilde", "\xe2\x89\x80", 0},
	{"VeryThinSpace", "\xe2\x80\x8a", 0}, {"Vfr", "\xf0\x9d\x94\x99", 0},
	{"Vopf", "\xf0\x9d\x95\x8d", 0}, {"Vscr", "\xf0\x9d\x92\xb1", 0},
	{"Vvdash", "\xe2\x8a\xaa", 0}, {"Wcirc", "\xc5\xb4", 0}, {"Wedge", "\xe2\x8b\x80", 0},
	{"Wfr", "\xf0\x9d\x94\x9a", 0}, {"Wopf", "\xf0\x9d\x95\x8e", 0},
	{"Wscr", "\xf0\x9d\x92\xb2", 0}, {"Xfr", "\xf0\x9d\x94\x9b", 0}, {"Xi", "\xce\x9e", 0},
	{"Xopf", "\xf0\x9d\x95\x8f", 0}, {"Xscr", "\xf0\x9d\x92\xb3", 0}, {"YAcy", "\xd0\xaf", 0},
	{"YIcy", "\xd0\x87", 0}, {"YUcy", "\xd0\xae", 0}, {"Yacute", "\xc3\x9d", 1},
	{"Ycirc", "\xc5\xb6", 0}, {"Ycy", "\xd0\xab", 0}, {"Yfr", "\xf0\x9d\x94\x9c", 0},
	{"Yopf", "\xf0\x9d\x95\x90", 0}, {"Yscr", "\xf0\x9d\x92\xb4", 0}, {"Yuml", "\xc5\xb8", 0},
	{"ZHcy", "\xd0\x96", 0}, {"Zacute", "\xc5\xb9", 0}, {"Zcaron", "\xc5\xbd", 0},
	{"Zcy", "\xd0\x97", 0}, {"Zdot", "\xc5\xbb", 0}, {"ZeroWidthSpace", "\xe2\x80\x8b", 0},
	{"Zeta", "\xce\x96", 0}, {"Zfr", "\xe2\x84\xa8", 0}, {"Zopf", "\xe2\x84\xa4", 0},
	{"Zscr", "\xf0\x9d\x92\xb5", 0}, {"aacute", "\xc3\xa1", 1}, {"abreve", "\xc4\x83", 0},
	{"ac", "\xe2\x88\xbe", 0}, {"acE", "\xe2\x88\xbe\xcc\xb3", 0}, {"acd", "\xe2\x88\xbf", 0},
	{"acirc", "\xc3\xa2", 1}, {"acute", "\xc2\xb4", 1}, {"acy", "\xd0\xb0", 0},
	{"aelig", "\xc3\xa6", 1}, {"af", "\xe2\x81\xa1", 0}, {"afr", "\xf0\x9d\x94\x9e", 0},
	{"agrave", "\xc3\xa0", 1}, {"alefsym", "\xe2\x84\xb5", 0}, {"aleph", "\xe2\x84\xb5", 0},
	{"alpha", "\xce\xb1", 0}, {"amacr", "\xc4\x81", 0}, {"amalg", "\xe2\xa8\xbf", 0},
	{"amp", "\x26", 1}, {"and", "\xe2\x88\xa7", 0}, {"andand", "\xe2\xa9\x95", 0},
	{"andd", "\xe2\xa9\x9c", 0}, {"andslope", "\xe2\xa9\x98", 0}, {"andv", "\xe2\xa9\x9a", 0},
	{"ang", "\xe2\x88\xa0", 0}, {"ange", "\xe2\xa6\xa4", 0}, {"angle", "\xe2\x88\xa0", 0},
	{"angmsd", "\xe2\x88\xa1", 0}, {"angmsdaa", "\xe2\xa6\xa8", 0},
	{"angmsdab", "\xe2\xa6\xa9", 0}, {"angmsdac", "\xe2\xa6\xaa", 0},
	{"angmsdad", "\xe2\xa6\xab", 0}, {"angmsdae", "\xe2\xa6\xac", 0},
	{"angmsdaf", "\xe2\xa6\xad", 0}, {"angmsdag", "\xe2\xa6\xae", 0},
	{"angmsdah", "\xe2\xa6\xaf", 0}, {"angrt", "\xe2\x88\x9f", 0}, {"angrtvb", "\xe2\x8a\xbe", 0},
	{"angrtvbd", "\xe2\xa6\x9d", 0}, {"angsph", "\xe2\x88\xa2", 0}, {"angst", "\xc3\x85", 0},
	{"angzarr", "\xe2\x8d\xbc", 0}, {"aogon", "\xc4\x85", 0}, {"aopf", "\xf0\x9d\x95\x92", 0},
	{"ap", "\xe2\x89\x88", 0}, {"apE", "\xe2\xa9\xb0", 0}, {"apacir", "\xe2\xa9\xaf", 0},
	{"ape", "\xe2\x89\x8a", 0}, {"apid", "\xe2\x89\x8b", 0}, {"apos", "\x27", 0},
	{"approx", "\xe2\x89\x88", 0}, {"approxeq", "\xe2\x89\x8a", 0}, {"aring", "\xc3\xa5", 1},
	{"ascr", "\xf0\x9d\x92\xb6", 0}, {"ast", "\x2a", 0}, {"asymp", "\xe2\x89\x88", 0},
	{"asympeq", "\xe2\x89\x8d", 0}, {"atilde", "\xc3\xa3", 1}, {"auml", "\xc3\xa4", 1},
	{"awconint", "\xe2\x88\xb3", 0}, {"awint", "\xe2\xa8\x91", 0}, {"bNot", "\xe2\xab\xad", 0},
	{"backcong", "\xe2\x89\x8c", 0}, {"backepsilon", "\xcf\xb6", 0},
	{"backprime", "\xe2\x80\xb5", 0}, {"backsim", "\xe2\x88\xbd", 0},
	{"backsimeq", "\xe2\x8b\x8d", 0}, {"barvee", "\xe2\x8a\xbd", 0},
	{"barwed", "\xe2\x8c\x85", 0}, {"barwedge", "\xe2\x8c\x85", 0}, {"bbrk", "\xe2\x8e\xb5", 0},
	{"bbrktbrk", "\xe2\x8e\xb6", 0}, {"bcong", "\xe2\x89\x8c", 0}, {"bcy", "\xd0\xb1", 0},
	{"bdquo", "\xe2\x80\x9e", 0}, {"becaus", "\xe2\x88\xb5", 0}, {"because", "\xe2\x88\xb5", 0},
	{"bemptyv", "\xe2\xa6\xb0", 0}, {"bepsi", "\xcf\xb6", 0}, {"bernou", "\xe2\x84\xac", 0},
	{"beta", "\xce\xb2", 0}, {"beth", "\xe2\x84\xb6", 0}, {"between", "\xe2\x89\xac", 0},
	{"bfr", "\xf0\x9d\x94\x9f", 0}, {"bigcap", "\xe2\x8b\x82", 0}, {"bigcirc", "\xe2\x97\xaf", 0},
	{"bigcup", "\xe2\x8b\x83", 0}, {"bigodot", "\xe2\xa8\x80", 0},
	{"bigoplus", "\xe2\xa8\x81", 0}, {"bigotimes", "\xe2\xa8\x82", 0},
	{"bigsqcup", "\xe2\xa8\x86", 0}, {"bigstar", "\xe2\x98\x85", 0},
	{"bigtriangledown", "\xe2\x96\xbd", 0}, {"bigtriangleup", "\xe2\x96\xb3", 0},
	{"biguplus", "\xe2\xa8\x84", 0}, {"bigvee", "\xe2\x8b\x81", 0},
	{"bigwedge", "\xe2\x8b\x80", 0}, {"bkarow", "\xe2\xa4\x8d", 0},
	{"blacklozenge", "\xe2\xa7\xab", 0}, {"blacksquare", "\xe2\x96\xaa", 0},
	{"blacktriangle", "\xe2\x96\xb4", 0}, {"blacktriangledown", "\xe2\x96\xbe", 0},
	{"blacktriangleleft", "\xe2\x97\x82", 0}, {"blacktriangleright", "\xe2\x96\xb8", 0},
	{"blank", "\xe2\x90\xa3", 0}, {"blk12", "\xe2\x96\x92", 0}, {"blk14", "\xe2\x96\x91", 0},
	{"blk34", "\xe2\x96\x93", 0}, {"block", "\xe2\x96\x88", 0}, {"bne", "\x3d\xe2\x83\xa5", 0},
	{"bnequiv", "\xe2\x89\xa1\xe2\x83\xa5", 0}, {"bnot", "\xe2\x8c\x90", 0},
	{"bopf", "\xf0\x9d\x95\x93", 0}, {"bot", "\xe2\x8a\xa5", 0}, {"bottom", "\xe2\x8a\xa5", 0},
	{"bowtie", "\xe2\x8b\x88", 0}, {"boxDL", "\xe2\x95\x97", 0}, {"boxDR", "\xe2\x95\x94", 0},
	{"boxDl", "\xe2\x95\x96", 0}, {"boxDr", "\xe2\x95\x93", 0}, {"boxH", "\xe2\x95\x90", 0},
	{"boxHD", "\xe2\x95\xa6", 0}, {"boxHU", "\xe2\x95\xa9", 0}, {"boxHd", "\xe2\x95\xa4", 0},
	{"boxHu", "\xe2\x95\xa7", 0}, {"boxUL", "\xe2\x95\x9d", 0}, {"boxUR", "\xe2\x95\x9a", 0},
	{"boxUl", "\xe2\x95\x9c", 0}, {"boxUr", "\xe2\x95\x99", 0}, {"boxV", "\xe2\x95\x91", 0},
	{"boxVH", "\xe2\x95\xac", 0}, {"boxVL", "\xe2\x95\xa3", 0}, {"boxVR", "\xe2\x95\xa0", 0},
	{"boxVh", "\xe2\x95\xab", 0}, {"boxVl", "\xe2\x95\xa2", 0}, {"boxVr", "\xe2\x95\x9f", 0},
	{"boxbox", "\xe2\xa7\x89", 0}, {"boxdL", "\xe2\x95\x95", 0}, {"boxdR", "\xe2\x95\x92", 0},
	{"boxdl", "\xe2\x94\x90", 0}, {"boxdr", "\xe2\x94\x8c", 0}, {"boxh", "\xe2\x94\x80", 0},
	{"boxhD", "\xe2\x95\xa5", 0}, {"boxhU", "\xe2\x95\xa8", 0}, {"boxhd", "\xe2\x94\xac", 0},
	{"boxhu", "\xe2\x94\xb4", 0}, {"boxminus", "\xe2\x8a\x9f", 0}, {"boxplus", "\xe2\x8a\x9e", 0},
	{"boxtimes", "\xe2\x8a\xa0", 0}, {"boxuL", "\xe2\x95\x9b", 0}, {"boxuR", "\xe2\x95\x98", 0},
	{"boxul", "\xe2\x94\x98", 0}, {"boxur", "\xe2\x94\x94", 0}, {"boxv", "\xe2\x94\x82", 0},
	{"boxvH", "\xe2\x95\xaa", 0}, {"boxvL", "\xe2\x95\xa1", 0}, {"boxvR", "\xe2\x95\x9e", 0},
	{"boxvh", "\xe2\x94\xbc", 0}, {"boxvl", "\xe2\x94\xa4", 0}, {"boxvr", "\xe2\x94\x9c", 0},
	{"bprime", "\xe2\x80\xb5", 0}, {"breve", "\xcb\x98", 0}, {"brvbar", "\xc2\xa6", 1},
	{"bscr", "\xf0\x9d\x92\xb7", 0}, {"bsemi", "\xe2\x81\x8f", 0}, {"bsim", "\xe2\x88\xbd", 0},
	{"bsime", "\xe2\x8b\x8d", 0}, {"bsol", "\x5c", 0}, {"bsolb", "\xe2\xa7\x85", 0},
	{"bsolhsub", "\xe2\x9f\x88", 0}, {"bull", "\xe2\x80\xa2", 0}, {"bullet", "\xe2\x80\xa2", 0},
	{"bump", "\xe2\x89\x8e", 0}, {"bumpE", "\xe2\xaa\xae", 0}, {"bumpe", "\xe2\x89\x8f", 0},
	{"bumpeq", "\xe2\x89\x8f", 0}, {"cacute", "\xc4\x87", 0}, {"cap", "\xe2\x88\xa9", 0},
	{"capand", "\xe2\xa9\x84", 0}, {"capbrcup", "\xe2\xa9\x89", 0}, {"capcap", "\xe2\xa9\x8b", 0},
	{"capcup", "\xe2\xa9\x87", 0}, {"capdot", "\xe2\xa9\x80", 0},
	{"caps", "\xe2\x88\xa9\xef\xb8\x80", 0}, {"caret", "\xe2\x81\x81", 0},
	{"caron", "\xcb\x87", 0}, {"ccaps", "\xe2\xa9\x8d", 0}, {"ccaron", "\xc4\x8d", 0},
	{"ccedil", "\xc3\xa7", 1}, {"ccirc", "\xc4\x89", 0}, {"ccups", "\xe2\xa9\x8c", 0},
	{"ccupssm", "\xe2\xa9\x90", 0}, {"cdot", "\xc4\x8b", 0}, {"cedil", "\xc2\xb8", 1},
	{"cemptyv", "\xe2\xa6\xb2", 0}, {"cent", "\xc2\xa2", 1}, {"centerdot", "\xc2\xb7", 0},
	{"cfr", "\xf0\x9d\x94\xa0", 0}, {"chcy", "\xd1\x87", 0}, {"check", "\xe2\x9c\x93", 0},
	{"checkmark", "\xe2\x9c\x93", 0}, {"chi", "\xcf\x87", 0}, {"cir", "\xe2\x97\x8b", 0},
	{"cirE", "\xe2\xa7\x83", 0}, {"circ", "\xcb\x86", 0}, {"circeq", "\xe2\x89\x97", 0},
	{"circlearrowleft", "\xe2\x86\xba", 0}, {"circlearrowright", "\xe2\x86\xbb", 0},
	{"circledR", "\xc2\xae", 0}, {"circledS", "\xe2\x93\x88", 0},
	{"circledast", "\xe2\x8a\x9b", 0}, {"circledcirc", "\xe2\x8a\x9a", 0},
	{"circleddash", "\xe2\x8a\x9d", 0}, {"cire", "\xe2\x89\x97", 0},
	{"cirfnint", "\xe2\xa8\x90", 0}, {"cirmid", "\xe2\xab\xaf", 0},
	{"cirscir", "\xe2\xa7\x82", 0}, {"clubs", "\xe2\x99\xa3", 0}, {"clubsuit", "\xe2\x99\xa3", 0},
	{"colon", "\x3a", 0}, {"colone", "\xe2\x89\x94", 0}, {"coloneq", "\xe2\x89\x94", 0},
	{"comma", "\x2c", 0}, {"commat", "\x40", 0}, {"comp", "\xe2\x88\x81", 0},
	{"compfn", "\xe2\x88\x98", 0}, {"complement", "\xe2\x88\x81", 0},
	{"complexes", "\xe2\x84\x82", 0}, {"cong", "\xe2\x89\x85", 0}, {"congdot", "\xe2\xa9\xad", 0},
	{"conint", "\xe2\x88\xae", 0}, {"copf", "\xf0\x9d\x95\x94", 0}, {"coprod", "\xe2\x88\x90", 0},
	{"copy", "\xc2\xa9", 1}, {"copysr", "\xe2\x84\x97", 0}, {"crarr", "\xe2\x86\xb5", 0},
	{"cross", "\xe2\x9c\x97", 0}, {"cscr", "\xf0\x9d\x92\xb8", 0}, {"csub", "\xe2\xab\x8f", 0},
	{"csube", "\xe2\xab\x91", 0}, {"csup", "\xe2\xab\x90", 0}, {"csupe", "\xe2\xab\x92", 0},
	{"ctdot", "\xe2\x8b\xaf", 0}, {"cudarrl", "\xe2\xa4\xb8", 0}, {"cudarrr", "\xe2\xa4\xb5", 0},
	{"cuepr", "\xe2\x8b\x9e", 0}, {"cuesc", "\xe2\x8b\x9f", 0}, {"cularr", "\xe2\x86\xb6", 0},
	{"cularrp", "\xe2\xa4\xbd", 0}, {"cup", "\xe2\x88\xaa", 0}, {"cupbrcap", "\xe2\xa9\x88", 0},
	{"cupcap", "\xe2\xa9\x86", 0}, {"cupcup", "\xe2\xa9\x8a", 0}, {"cupdot", "\xe2\x8a\x8d", 0},
	{"cupor", "\xe2\xa9\x85", 0}, {"cups", "\xe2\x88\xaa\xef\xb8\x80", 0},
	{"curarr", "\xe2\x86\xb7", 0}, {"curarrm", "\xe2\xa4\xbc", 0},
	{"curlyeqprec", "\xe2\x8b\x9e", 0}, {"curlyeqsucc", "\xe2\x8b\x9f", 0},
	{"curlyvee", "\xe2\x8b\x8e", 0}, {"curlywedge", "\xe2\x8b\x8f", 0}, {"curren", "\xc2\xa4", 1},
	{"curvearrowleft", "\xe2\x86\xb6", 0}, {"curvearrowright", "\xe2\x86\xb7", 0},
	{"cuvee", "\xe2\x8b\x8e", 0}, {"cuwed", "\xe2\x8b\x8f", 0}, {"cwconint", "\xe2\x88\xb2", 0},
	{"cwint", "\xe2\x88\xb1", 0}, {"cylcty", "\xe2\x8c\xad", 0}, {"dArr", "\xe2\x87\x93", 0},
	{"dHar", "\xe2\xa5\xa5", 0}, {"dagger", "\xe2\x80\xa0", 0}, {"daleth", "\xe2\x84\xb8", 0},
	{"darr", "\xe2\x86\x93", 0}, {"dash", "\xe2\x80\x90", 0}, {"dashv", "\xe2\x8a\xa3", 0},
	{"dbkarow", "\xe2\xa4\x8f", 0}, {"dblac", "\xcb\x9d", 0}, {"dcaron", "\xc4\x8f", 0},
	{"dcy", "\xd0\xb4", 0}, {"dd", "\xe2\x85\x86", 0}, {"ddagger", "\xe2\x80\xa1", 0},
	{"ddarr", "\xe2\x87\x8a", 0}, {"ddotseq", "\xe2\xa9\xb7", 0}, {"deg", "\xc2\xb0", 1},
	{"delta", "\xce\xb4", 0}, {"demptyv", "\xe2\xa6\xb1", 0}, {"dfisht", "\xe2\xa5\xbf", 0},
	{"dfr", "\xf0\x9d\x94\xa1", 0}, {"dharl", "\xe2\x87\x83", 0}, {"dharr", "\xe2\x87\x82", 0},
	{"diam", "\xe2\x8b\x84", 0}, {"diamond", "\xe2\x8b\x84", 0},
	{"diamondsuit", "\xe2\x99\xa6", 0}, {"diams", "\xe2\x99\xa6", 0}, {"die", "\xc2\xa8", 0},
	{"digamma", "\xcf\x9d", 0}, {"disin", "\xe2\x8b\xb2", 0}, {"div", "\xc3\xb7", 0},
	{"divide", "\xc3\xb7", 1}, {"divideontimes", "\xe2\x8b\x87", 0},
	{"divonx", "\xe2\x8b\x87", 0}, {"djcy", "\xd1\x92", 0}, {"dlcorn", "\xe2\x8c\x9e", 0},
	{"dlcrop", "\xe2\x8c\x8d", 0}, {"dollar", "\x24", 0}, {"dopf", "\xf0\x9d\x95\x95", 0},
	{"dot", "\xcb\x99", 0}, {"doteq", "\xe2\x89\x90", 0}, {"doteqdot", "\xe2\x89\x91", 0},
	{"dotminus", "\xe2\x88\xb8", 0}, {"dotplus", "\xe2\x88\x94", 0},
	{"dotsquare", "\xe2\x8a\xa1", 0}, {"doublebarwedge", "\xe2\x8c\x86", 0},
	{"downarrow", "\xe2\x86\x93", 0}, {"downdownarrows", "\xe2\x87\x8a", 0},
	{"downharpoonleft", "\xe2\x87\x83", 0}, {"downharpoonright", "\xe2\x87\x82", 0},
	{"drbkarow", "\xe2\xa4\x90", 0}, {"drcorn", "\xe2\x8c\x9f", 0}, {"drcrop", "\xe2\x8c\x8c", 0},
	{"dscr", "\xf0\x9d\x92\xb9", 0}, {"dscy", "\xd1\x95", 0}, {"dsol", "\xe2\xa7\xb6", 0},
	{"dstrok", "\xc4\x91", 0}, {"dtdot", "\xe2\x8b\xb1", 0}, {"dtri", "\xe2\x96\xbf", 0},
	{"dtrif", "\xe2\x96\xbe", 0}, {"duarr", "\xe2\x87\xb5", 0}, {"duhar", "\xe2\xa5\xaf", 0},
	{"dwangle", "\xe2\xa6\xa6", 0}, {"dzcy", "\xd1\x9f", 0}, {"dzigrarr", "\xe2\x9f\xbf", 0},
	{"eDDot", "\xe2\xa9\xb7", 0}, {"eDot", "\xe2\x89\x91", 0}, {"eacute", "\xc3\xa9", 1},
	{"easter", "\xe2\xa9\xae", 0}, {"ecaron", "\xc4\x9b", 0}, {"ecir", "\xe2\x89\x96", 0},
	{"ecirc", "\xc3\xaa", 1}, {"ecolon", "\xe2\x89\x95", 0}, {"ecy", "\xd1\x8d", 0},
	{"edot", "\xc4\x97", 0}, {"ee", "\xe2\x85\x87", 0}, {"efDot", "\xe2\x89\x92", 0},
	{"efr", "\xf0\x9d\x94\xa2", 0}, {"eg", "\xe2\xaa\x9a", 0}, {"egrave", "\xc3\xa8", 1},
	{"egs", "\xe2\xaa\x96", 0}, {"egsdot", "\xe2\xaa\x98", 0}, {"el", "\xe2\xaa\x99", 0},
	{"elinters", "\xe2\x8f\xa7", 0}, {"ell", "\xe2\x84\x93", 0}, {"els", "\xe2\xaa\x95", 0},
	{"elsdot", "\xe2\xaa\x97", 0}, {"emacr", "\xc4\x93", 0}, {"empty", "\xe2\x88\x85", 0},
	{"emptyset", "\xe2\x88\x85", 0}, {"emptyv", "\xe2\x88\x85", 0}, {"emsp", "\xe2\x80\x83", 0},
	{"emsp13", "\xe2\x80\x84", 0}, {"emsp14", "\xe2\x80\x85", 0}, {"eng", "\xc5\x8b", 0},
	{"ensp", "\xe2\x80\x82", 0}, {"eogon", "\xc4\x99", 0}, {"eopf", "\xf0\x9d\x95\x96", 0},
	{"epar", "\xe2\x8b\x95", 0}, {"eparsl", "\xe2\xa7\xa3", 0}, {"eplus", "\xe2\xa9\xb1", 0},
	{"epsi", "\xce\xb5", 0}, {"epsilon", "\xce\xb5", 0}, {"epsiv", "\xcf\xb5", 0},
	{"eqcirc", "\xe2\x89\x96", 0}, {"eqcolon", "\xe2\x89\x95", 0}, {"eqsim", "\xe2\x89\x82", 0},
	{"eqslantgtr", "\xe2\xaa\x96", 0}, {"eqslantless", "\xe2\xaa\x95", 0}, {"equals", "\x3d", 0},
	{"equest", "\xe2\x89\x9f", 0}, {"equiv", "\xe2\x89\xa1", 0}, {"equivDD", "\xe2\xa9\xb8", 0},
	{"eqvparsl", "\xe2\xa7\xa5", 0}, {"erDot", "\xe2\x89\x93", 0}, {"erarr", "\xe2\xa5\xb1", 0},
	{"escr", "\xe2\x84\xaf", 0}, {"esdot", "\xe2\x89\x90", 0}, {"esim", "\xe2\x89\x82", 0},
	{"eta", "\xce\xb7", 0}, {"eth", "\xc3\xb0", 1}, {"euml", "\xc3\xab", 1},
	{"euro", "\xe2\x82\xac", 0}, {"excl", "\x21", 0}, {"exist", "\xe2\x88\x83", 0},
	{"expectation", "\xe2\x84\xb0", 0}, {"exponentiale", "\xe2\x85\x87", 0},
	{"fallingdotseq", "\xe2\x89\x92", 0}, {"fcy", "\xd1\x84", 0}, {"female", "\xe2\x99\x80", 0},
	{"ffilig", "\xef\xac\x83", 0}, {"fflig", "\xef\xac\x80", 0}, {"ffllig", "\xef\xac\x84", 0},
	{"ffr", "\xf0\x9d\x94\xa3", 0}, {"filig", "\xef\xac\x81", 0}, {"fjlig", "\x66\x6a", 0},
	{"flat", "\xe2\x99\xad", 0}, {"fllig", "\xef\xac\x82", 0}, {"fltns", "\xe2\x96\xb1", 0},
	{"fnof", "\xc6\x92", 0}, {"fopf", "\xf0\x9d\x95\x97", 0}, {"forall", "\xe2\x88\x80", 0},
	{"fork", "\xe2\x8b\x94", 0}, {"forkv", "\xe2\xab\x99", 0}, {"fpartint", "\xe2\xa8\x8d", 0},
	{"frac12", "\xc2\xbd", 1}, {"frac13", "\xe2\x85\x93", 0}, {"frac14", "\xc2\xbc", 1},
	{"frac15", "\xe2\x85\x95", 0}, {"frac16", "\xe2\x85\x99", 0}, {"frac18", "\xe2\x85\x9b", 0},
	{"frac23", "\xe2\x85\x94", 0}, {"frac25", "\xe2\x85\x96", 0}, {"frac34", "\xc2\xbe", 1},
	{"frac35", "\xe2\x85\x97", 0}, {"frac38", "\xe2\x85\x9c", 0}, {"frac45", "\xe2\x85\x98", 0},
	{"frac56", "\xe2\x85\x9a", 0}, {"frac58", "\xe2\x85\x9d", 0}, {"frac78", "\xe2\x85\x9e", 0},
	{"frasl", "\xe2\x81\x84", 0}, {"frown", "\xe2\x8c\xa2", 0}, {"fscr", "\xf0\x9d\x92\xbb", 0},
	{"gE", "\xe2\x89\xa7", 0}, {"gEl", "\xe2\xaa\x8c", 0}, {"gacute", "\xc7\xb5", 0},
	{"gamma", "\xce\xb3", 0}, {"gammad", "\xcf\x9d", 0}, {"gap", "\xe2\xaa\x86", 0},
	{"gbreve", "\xc4\x9f", 0}, {"gcirc", "\xc4\x9d", 0}, {"gcy", "\xd0\xb3", 0},
	{"gdot", "\xc4\xa1", 0}, {"ge", "\xe2\x89\xa5", 0}, {"gel", "\xe2\x8b\x9b", 0},
	{"geq", "\xe2\x89\xa5", 0}, {"geqq", "\xe2\x89\xa7", 0}, {"geqslant", "\xe2\xa9\xbe", 0},
	{"ges", "\xe2\xa9\xbe", 0}, {"gescc", "\xe2\xaa\xa9", 0}, {"gesdot", "\xe2\xaa\x80", 0},
	{"gesdoto", "\xe2\xaa\x82", 0}, {"gesdotol", "\xe2\xaa\x84", 0},
	{"gesl", "\xe2\x8b\x9b\xef\xb8\x80", 0}, {"gesles", "\xe2\xaa\x94", 0},
	{"gfr", "\xf0\x9d\x94\xa4", 0}, {"gg", "\xe2\x89\xab", 0}, {"ggg", "\xe2\x8b\x99", 0},
	{"gimel", "\xe2\x84\xb7", 0}, {"gjcy", "\xd1\x93", 0}, {"gl", "\xe2\x89\xb7", 0},
	{"glE", "\xe2\xaa\x92", 0}, {"gla", "\xe2\xaa\xa5", 0}, {"glj", "\xe2\xaa\xa4", 0},
	{"gnE", "\xe2\x89\xa9", 0}, {"gnap", "\xe2\xaa\x8a", 0}, {"gnapprox", "\xe2\xaa\x8a", 0},
	{"gne", "\xe2\xaa\x88", 0}, {"gneq", "\xe2\xaa\x88", 0}, {"gneqq", "\xe2\x89\xa9", 0},
	{"gnsim", "\xe2\x8b\xa7", 0}, {"gopf", "\xf0\x9d\x95\x98", 0}, {"grave", "\x60", 0},
	{"gscr", "\xe2\x84\x8a", 0}, {"gsim", "\xe2\x89\xb3", 0}, {"gsime", "\xe2\xaa\x8e", 0},
	{"gsiml", "\xe2\xaa\x90", 0}, {"gt", "\x3e", 1}, {"gtcc", "\xe2\xaa\xa7", 0},
	{"gtcir", "\xe2\xa9\xba", 0}, {"gtdot", "\xe2\x8b\x97", 0}, {"gtlPar", "\xe2\xa6\x95", 0},
	{"gtquest", "\xe2\xa9\xbc", 0}, {"gtrapprox", "\xe2\xaa\x86", 0},
	{"gtrarr", "\xe2\xa5\xb8", 0}, {"gtrdot", "\xe2\x8b\x97", 0},
	{"gtreqless", "\xe2\x8b\x9b", 0}, {"gtreqqless", "\xe2\xaa\x8c", 0},
	{"gtrless", "\xe2\x89\xb7", 0}, {"gtrsim", "\xe2\x89\xb3", 0},
	{"gvertneqq", "\xe2\x89\xa9\xef\xb8\x80", 0}, {"gvnE", "\xe2\x89\xa9\xef\xb8\x80", 0},
	{"hArr", "\xe2\x87\x94", 0}, {"hairsp", "\xe2\x80\x8a", 0}, {"half", "\xc2\xbd", 0},
	{"hamilt", "\xe2\x84\x8b", 0}, {"hardcy", "\xd1\x8a", 0}, {"harr", "\xe2\x86\x94", 0},
	{"harrcir", "\xe2\xa5\x88", 0}, {"harrw", "\xe2\x86\xad", 0}, {"hbar", "\xe2\x84\x8f", 0},
	{"hcirc", "\xc4\xa5", 0}, {"hearts", "\xe2\x99\xa5", 0}, {"heartsuit", "\xe2\x99\xa5", 0},
	{"hellip", "\xe2\x80\xa6", 0}, {"hercon", "\xe2\x8a\xb9", 0}, {"hfr", "\xf0\x9d\x94\xa5", 0},
	{"hksearow", "\xe2\xa4\xa5", 0}, {"hkswarow", "\xe2\xa4\xa6", 0},
	{"hoarr", "\xe2\x87\xbf", 0}, {"homtht", "\xe2\x88\xbb", 0},
	{"hookleftarrow", "\xe2\x86\xa9", 0}, {"hookrightarrow", "\xe2\x86\xaa", 0},
	{"hopf", "\xf0\x9d\x95\x99", 0}, {"horbar", "\xe2\x80\x95", 0},
	{"hscr", "\xf0\x9d\x92\xbd", 0}, {"hslash", "\xe2\x84\x8f", 0}, {"hstrok", "\xc4\xa7", 0},
	{"hybull", "\xe2\x81\x83", 0}, {"hyphen", "\xe2\x80\x90", 0}, {"iacute", "\xc3\xad", 1},
	{"ic", "\xe2\x81\xa3", 0}, {"icirc", "\xc3\xae", 1}, {"icy", "\xd0\xb8", 0},
	{"iecy", "\xd0\xb5", 0}, {"iexcl", "\xc2\xa1", 1}, {"iff", "\xe2\x87\x94", 0},
	{"ifr", "\xf0\x9d\x94\xa6", 0}, {"igrave", "\xc3\xac", 1}, {"ii", "\xe2\x85\x88", 0},
	{"iiiint", "\xe2\xa8\x8c", 0}, {"iiint", "\xe2\x88\xad", 0}, {"iinfin", "\xe2\xa7\x9c", 0},
	{"iiota", "\xe2\x84\xa9", 0}, {"ijlig", "\xc4\xb3", 0}, {"imacr", "\xc4\xab", 0},
	{"image", "\xe2\x84\x91", 0}, {"imagline", "\xe2\x84\x90", 0},
	{"imagpart", "\xe2\x84\x91", 0}, {"imath", "\xc4\xb1", 0}, {"imof", "\xe2\x8a\xb7", 0},
	{"imped", "\xc6\xb5", 0}, {"in", "\xe2\x88\x88", 0}, {"incare", "\xe2\x84\x85", 0},
	{"infin", "\xe2\x88\x9e", 0}, {"infintie", "\xe2\xa7\x9d", 0}, {"inodot", "\xc4\xb1", 0},
	{"int", "\xe2\x88\xab", 0}, {"intcal", "\xe2\x8a\xba", 0}, {"integers", "\xe2\x84\xa4", 0},
	{"intercal", "\xe2\x8a\xba", 0}, {"intlarhk", "\xe2\xa8\x97", 0},
	{"intprod", "\xe2\xa8\xbc", 0}, {"iocy", "\xd1\x91", 0}, {"iogon", "\xc4\xaf", 0},
	{"iopf", "\xf0\x9d\x95\x9a", 0}, {"iota", "\xce\xb9", 0}, {"iprod", "\xe2\xa8\xbc", 0},
	{"iquest", "\xc2\xbf", 1}, {"iscr", "\xf0\x9d\x92\xbe", 0}, {"isin", "\xe2\x88\x88", 0},
	{"isinE", "\xe2\x8b\xb9", 0}, {"isindot", "\xe2\x8b\xb5", 0}, {"isins", "\xe2\x8b\xb4", 0},
	{"isinsv", "\xe2\x8b\xb3", 0}, {"isinv", "\xe2\x88\x88", 0}, {"it", "\xe2\x81\xa2", 0},
	{"itilde", "\xc4\xa9", 0}, {"iukcy", "\xd1\x96", 0}, {"iuml", "\xc3\xaf", 1},
	{"jcirc", "\xc4\xb5", 0}, {"jcy", "\xd0\xb9", 0}, {"jfr", "\xf0\x9d\x94\xa7", 0},
	{"jmath", "\xc8\xb7", 0}, {"jopf", "\xf0\x9d\x95\x9b", 0}, {"jscr", "\xf0\x9d\x92\xbf", 0},
	{"jsercy", "\xd1\x98", 0}, {"jukcy", "\xd1\x94", 0}, {"kappa", "\xce\xba", 0},
	{"kappav", "\xcf\xb0", 0}, {"kcedil", "\xc4\xb7", 0}, {"kcy", "\xd0\xba", 0},
	{"kfr", "\xf0\x9d\x94\xa8", 0}, {"kgreen", "\xc4\xb8", 0}, {"khcy", "\xd1\x85", 0},
	{"kjcy", "\xd1\x9c", 0}, {"kopf", "\xf0\x9d\x95\x9c", 0}, {"kscr", "\xf0\x9d\x93\x80", 0},
	{"lAarr", "\xe2\x87\x9a", 0}, {"lArr", "\xe2\x87\x90", 0}, {"lAtail", "\xe2\xa4\x9b", 0},
	{"lBarr", "\xe2\xa4\x8e", 0}, {"lE", "\xe2\x89\xa6", 0}, {"lEg", "\xe2\xaa\x8b", 0},
	{"lHar", "\xe2\xa5\xa2", 0}, {"lacute", "\xc4\xba", 0}, {"laemptyv", "\xe2\xa6\xb4", 0},
	{"lagran", "\xe2\x84\x92", 0}, {"lambda", "\xce\xbb", 0}, {"lang", "\xe2\x9f\xa8", 0},
	{"langd", "\xe2\xa6\x91", 0}, {"langle", "\xe2\x9f\xa8", 0}, {"lap", "\xe2\xaa\x85", 0},
	{"laquo", "\xc2\xab", 1}, {"larr", "\xe2\x86\x90", 0}, {"larrb", "\xe2\x87\xa4", 0},
	{"larrbfs", "\xe2\xa4\x9f", 0}, {"larrfs", "\xe2\xa4\x9d", 0}, {"larrhk", "\xe2\x86\xa9", 0},
	{"larrlp", "\xe2\x86\xab", 0}, {"larrpl", "\xe2\xa4\xb9", 0}, {"larrsim", "\xe2\xa5\xb3", 0},
	{"larrtl", "\xe2\x86\xa2", 0}, {"lat", "\xe2\xaa\xab", 0}, {"latail", "\xe2\xa4\x99", 0},
	{"late", "\xe2\xaa\xad", 0}, {"lates", "\xe2\xaa\xad\xef\xb8\x80", 0},
	{"lbarr", "\xe2\xa4\x8c", 0}, {"lbbrk", "\xe2\x9d\xb2", 0}, {"lbrace", "\x7b", 0},
	{"lbrack", "\x5b", 0}, {"lbrke", "\xe2\xa6\x8b", 0}, {"lbrksld", "\xe2\xa6\x8f", 0},
	{"lbrkslu", "\xe2\xa6\x8d", 0}, {"lcaron", "\xc4\xbe", 0}, {"lcedil", "\xc4\xbc", 0},
	{"lceil", "\xe2\x8c\x88", 0}, {"lcub", "\x7b", 0}, {"lcy", "\xd0\xbb", 0},
	{"ldca", "\xe2\xa4\xb6", 0}, {"ldquo", "\xe2\x80\x9c", 0}, {"ldquor", "\xe2\x80\x9e", 0},
	{"ldrdhar", "\xe2\xa5\xa7", 0}, {"ldrushar", "\xe2\xa5\x8b", 0}, {"ldsh", "\xe2\x86\xb2", 0},
	{"le", "\xe2\x89\xa4", 0}, {"leftarrow", "\xe2\x86\x90", 0},
	{"leftarrowtail", "\xe2\x86\xa2", 0}, {"leftharpoondown", "\xe2\x86\xbd", 0},
	{"leftharpoonup", "\xe2\x86\xbc", 0}, {"leftleftarrows", "\xe2\x87\x87", 0},
	{"leftrightarrow", "\xe2\x86\x94", 0}, {"leftrightarrows", "\xe2\x87\x86", 0},
	{"leftrightharpoons", "\xe2\x87\x8b", 0}, {"leftrightsquigarrow", "\xe2\x86\xad", 0},
	{"leftthreetimes", "\xe2\x8b\x8b", 0}, {"leg", "\xe2\x8b\x9a", 0}, {"leq", "\xe2\x89\xa4", 0},
	{"leqq", "\xe2\x89\xa6", 0}, {"leqslant", "\xe2\xa9\xbd", 0}, {"les", "\xe2\xa9\xbd", 0},
	{"lescc", "\xe2\xaa\xa8", 0}, {"lesdot", "\xe2\xa9\xbf", 0}, {"lesdoto", "\xe2\xaa\x81", 0},
	{"lesdotor", "\xe2\xaa\x83", 0}, {"lesg", "\xe2\x8b\x9a\xef\xb8\x80", 0},
	{"lesges", "\xe2\xaa\x93", 0}, {"lessapprox", "\xe2\xaa\x85", 0},
	{"lessdot", "\xe2\x8b\x96", 0}, {"lesseqgtr", "\xe2\x8b\x9a", 0},
	{"lesseqqgtr", "\xe2\xaa\x8b", 0}, {"lessgtr", "\xe2\x89\xb6", 0},
	{"lesssim", "\xe2\x89\xb2", 0}, {"lfisht", "\xe2\xa5\xbc", 0}, {"lfloor", "\xe2\x8c\x8a", 0},
	{"lfr", "\xf0\x9d\x94\xa9", 0}, {"lg", "\xe2\x89\xb6", 0}, {"lgE", "\xe2\xaa\x91", 0},
	{"lhard", "\xe2\x86\xbd", 0}, {"lharu", "\xe2\x86\xbc", 0}, {"lharul", "\xe2\xa5\xaa", 0},
	{"lhblk", "\xe2\x96\x84", 0}, {"ljcy", "\xd1\x99", 0}, {"ll", "\xe2\x89\xaa", 0},
	{"llarr", "\xe2\x87\x87", 0}, {"llcorner", "\xe2\x8c\x9e", 0}, {"llhard", "\xe2\xa5\xab", 0},
	{"lltri", "\xe2\x97\xba", 0}, {"lmidot", "\xc5\x80", 0}, {"lmoust", "\xe2\x8e\xb0", 0},
	{"lmoustache", "\xe2\x8e\xb0", 0}, {"lnE", "\xe2\x89\xa8", 0}, {"lnap", "\xe2\xaa\x89", 0},
	{"lnapprox", "\xe2\xaa\x89", 0}, {"lne", "\xe2\xaa\x87", 0}, {"lneq", "\xe2\xaa\x87", 0},
	{"lneqq", "\xe2\x89\xa8", 0}, {"lnsim", "\xe2\x8b\xa6", 0}, {"loang", "\xe2\x9f\xac", 0},
	{"loarr", "\xe2\x87\xbd", 0}, {"lobrk", "\xe2\x9f\xa6", 0},
	{"longleftarrow", "\xe2\x9f\xb5", 0}, {"longleftrightarrow", "\xe2\x9f\xb7", 0},
	{"longmapsto", "\xe2\x9f\xbc", 0}, {"longrightarrow", "\xe2\x9f\xb6", 0},
	{"looparrowleft", "\xe2\x86\xab", 0}, {"looparrowright", "\xe2\x86\xac", 0},
	{"lopar", "\xe2\xa6\x85", 0}, {"lopf", "\xf0\x9d\x95\x9d", 0}, {"loplus", "\xe2\xa8\xad", 0},
	{"lotimes", "\xe2\xa8\xb4", 0}, {"lowast", "\xe2\x88\x97", 0}, {"lowbar", "\x5f", 0},
	{"loz", "\xe2\x97\x8a", 0}, {"lozenge", "\xe2\x97\x8a", 0}, {"lozf", "\xe2\xa7\xab", 0},
	{"lpar", "\x28", 0}, {"lparlt", "\xe2\xa6\x93", 0}, {"lrarr", "\xe2\x87\x86", 0},
	{"lrcorner", "\xe2\x8c\x9f", 0}, {"lrhar", "\xe2\x87\x8b", 0}, {"lrhard", "\xe2\xa5\xad", 0},
	{"lrm", "\xe2\x80\x8e", 0}, {"lrtri", "\xe2\x8a\xbf", 0}, {"lsaquo", "\xe2\x80\xb9", 0},
	{"lscr", "\xf0\x9d\x93\x81", 0}, {"lsh", "\xe2\x86\xb0", 0}, {"lsim", "\xe2\x89\xb2", 0},
	{"lsime", "\xe2\xaa\x8d", 0}, {"lsimg", "\xe2\xaa\x8f", 0}, {"lsqb", "\x5b", 0},
	{"lsquo", "\xe2\x80\x98", 0}, {"lsquor", "\xe2\x80\x9a", 0}, {"lstrok", "\xc5\x82", 0},
	{"lt", "\x3c", 1}, {"ltcc", "\xe2\xaa\xa6", 0}, {"ltcir", "\xe2\xa9\xb9", 0},
	{"ltdot", "\xe2\x8b\x96", 0}, {"lthree", "\xe2\x8b\x8b", 0}, {"ltimes", "\xe2\x8b\x89", 0},
	{"ltlarr", "\xe2\xa5\xb6", 0}, {"ltquest", "\xe2\xa9\xbb", 0}, {"ltrPar", "\xe2\xa6\x96", 0},
	{"ltri", "\xe2\x97\x83", 0}, {"ltrie", "\xe2\x8a\xb4", 0}, {"ltrif", "\xe2\x97\x82", 0},
	{"lurdshar", "\xe2\xa5\x8a", 0}, {"luruhar", "\xe2\xa5\xa6", 0},
	{"lvertneqq", "\xe2\x89\xa8\xef\xb8\x80", 0}, {"lvnE", "\xe2\x89\xa8\xef\xb8\x80", 0},
	{"mDDot", "\xe2\x88\xba", 0}, {"macr", "\xc2\xaf", 1}, {"male", "\xe2\x99\x82", 0},
	{"malt", "\xe2\x9c\xa0", 0}, {"maltese", "\xe2\x9c\xa0", 0}, {"map", "\xe2\x86\xa6", 0},
	{"mapsto", "\xe2\x86\xa6", 0}, {"mapstodown", "\xe2\x86\xa7", 0},
	{"mapstoleft", "\xe2\x86\xa4", 0}, {"mapstoup", "\xe2\x86\xa5", 0},
	{"marker", "\xe2\x96\xae", 0}, {"mcomma", "\xe2\xa8\xa9", 0}, {"mcy", "\xd0\xbc", 0},
	{"mdash", "\xe2\x80\x94", 0}, {"measuredangle", "\xe2\x88\xa1", 0},
	{"mfr", "\xf0\x9d\x94\xaa", 0}, {"mho", "\xe2\x84\xa7", 0}, {"micro", "\xc2\xb5", 1},
	{"mid", "\xe2\x88\xa3", 0}, {"midast", "\x2a", 0}, {"midcir", "\xe2\xab\xb0", 0},
	{"middot", "\xc2\xb7", 1}, {"minus", "\xe2\x88\x92", 0}, {"minusb", "\xe2\x8a\x9f", 0},
	{"minusd", "\xe2\x88\xb8", 0}, {"minusdu", "\xe2\xa8\xaa", 0}, {"mlcp", "\xe2\xab\x9b", 0},
	{"mldr", "\xe2\x80\xa6", 0}, {"mnplus", "\xe2\x88\x93", 0}, {"models", "\xe2\x8a\xa7", 0},
	{"mopf", "\xf0\x9d\x95\x9e", 0}, {"mp", "\xe2\x88\x93", 0}, {"mscr", "\xf0\x9d\x93\x82", 0},
	{"mstpos", "\xe2\x88\xbe", 0}, {"mu", "\xce\xbc", 0}, {"multimap", "\xe2\x8a\xb8", 0},
	{"mumap", "\xe2\x8a\xb8", 0}, {"nGg", "\xe2\x8b\x99\xcc\xb8", 0},
	{"nGt", "\xe2\x89\xab\xe2\x83\x92", 0}, {"nGtv", "\xe2\x89\xab\xcc\xb8", 0},
	{"nLeftarrow", "\xe2\x87\x8d", 0}, {"nLeftrightarrow", "\xe2\x87\x8e", 0},
	{"nLl", "\xe2\x8b\x98\xcc\xb8", 0}, {"nLt", "\xe2\x89\xaa\xe2\x83\x92", 0},
	{"nLtv", "\xe2\x89\xaa\xcc\xb8", 0}, {"nRightarrow", "\xe2\x87\x8f", 0},
	{"nVDash", "\xe2\x8a\xaf", 0}, {"nVdash", "\xe2\x8a\xae", 0}, {"nabla", "\xe2\x88\x87", 0},
	{"nacute", "\xc5\x84", 0}, {"nang", "\xe2\x88\xa0\xe2\x83\x92", 0},
	{"nap", "\xe2\x89\x89", 0}, {"napE", "\xe2\xa9\xb0\xcc\xb8", 0},
	{"napid", "\xe2\x89\x8b\xcc\xb8", 0}, {"napos", "\xc5\x89", 0},
	{"napprox", "\xe2\x89\x89", 0}, {"natur", "\xe2\x99\xae", 0}, {"natural", "\xe2\x99\xae", 0},
	{"naturals", "\xe2\x84\x95", 0}, {"nbsp", "\xc2\xa0", 1},
	{"nbump", "\xe2\x89\x8e\xcc\xb8", 0}, {"nbumpe", "\xe2\x89\x8f\xcc\xb8", 0},
	{"ncap", "\xe2\xa9\x83", 0}, {"ncaron", "\xc5\x88", 0}, {"ncedil", "\xc5\x86", 0},
	{"ncong", "\xe2\x89\x87", 0}, {"ncongdot", "\xe2\xa9\xad\xcc\xb8", 0},
	{"ncup", "\xe2\xa9\x82", 0}, {"ncy", "\xd0\xbd", 0}, {"ndash", "\xe2\x80\x93", 0},
	{"ne", "\xe2\x89\xa0", 0}, {"neArr", "\xe2\x87\x97", 0}, {"nearhk", "\xe2\xa4\xa4", 0},
	{"nearr", "\xe2\x86\x97", 0}, {"nearrow", "\xe2\x86\x97", 0},
	{"nedot", "\xe2\x89\x90\xcc\xb8", 0}, {"nequiv", "\xe2\x89\xa2", 0},
	{"nesear", "\xe2\xa4\xa8", 0}, {"nesim", "\xe2\x89\x82\xcc\xb8", 0},
	{"nexist", "\xe2\x88\x84", 0}, {"nexists", "\xe2\x88\x84", 0}, {"nfr", "\xf0\x9d\x94\xab", 0},
	{"ngE", "\xe2\x89\xa7\xcc\xb8", 0}, {"nge", "\xe2\x89\xb1", 0}, {"ngeq", "\xe2\x89\xb1", 0},
	{"ngeqq", "\xe2\x89\xa7\xcc\xb8", 0}, {"ngeqslant", "\xe2\xa9\xbe\xcc\xb8", 0},
	{"nges", "\xe2\xa9\xbe\xcc\xb8", 0}, {"ngsim", "\xe2\x89\xb5", 0}, {"ngt", "\xe2\x89\xaf", 0},
	{"ngtr", "\xe2\x89\xaf", 0}, {"nhArr", "\xe2\x87\x8e", 0}, {"nharr", "\xe2\x86\xae", 0},
	{"nhpar", "\xe2\xab\xb2", 0}, {"ni", "\xe2\x88\x8b", 0}, {"nis", "\xe2\x8b\xbc", 0},
	{"nisd", "\xe2\x8b\xba", 0}, {"niv", "\xe2\x88\x8b", 0}, {"njcy", "\xd1\x9a", 0},
	{"nlArr", "\xe2\x87\x8d", 0}, {"nlE", "\xe2\x89\xa6\xcc\xb8", 0},
	{"nlarr", "\xe2\x86\x9a", 0}, {"nldr", "\xe2\x80\xa5", 0}, {"nle", "\xe2\x89\xb0", 0},
	{"nleftarrow", "\xe2\x86\x9a", 0}, {"nleftrightarrow", "\xe2\x86\xae", 0},
	{"nleq", "\xe2\x89\xb0", 0}, {"nleqq", "\xe2\x89\xa6\xcc\xb8", 0},
	{"nleqslant", "\xe2\xa9\xbd\xcc\xb8", 0}, {"nles", "\xe2\xa9\xbd\xcc\xb8", 0},
	{"nless", "\xe2\x89\xae", 0}, {"nlsim", "\xe2\x89\xb4", 0}, {"nlt", "\xe2\x89\xae", 0},
	{"nltri", "\xe2\x8b\xaa", 0}, {"nltrie", "\xe2\x8b\xac", 0}, {"nmid", "\xe2\x88\xa4", 0},
	{"nopf", "\xf0\x9d\x95\x9f", 0}, {"not", "\xc2\xac", 1}, {"notin", "\xe2\x88\x89", 0},
	{"notinE", "\xe2\x8b\xb9\xcc\xb8", 0}, {"notindot", "\xe2\x8b\xb5\xcc\xb8", 0},
	{"notinva", "\xe2\x88\x89", 0}, {"notinvb", "\xe2\x8b\xb7", 0},
	{"notinvc", "\xe2\x8b\xb6", 0}, {"notni", "\xe2\x88\x8c", 0}, {"notniva", "\xe2\x88\x8c", 0},
	{"notnivb", "\xe2\x8b\xbe", 0}, {"notnivc", "\xe2\x8b\xbd", 0}, {"npar", "\xe2\x88\xa6", 0},
	{"nparallel", "\xe2\x88\xa6", 0}, {"nparsl", "\xe2\xab\xbd\xe2\x83\xa5", 0},
	{"npart", "\xe2\x88\x82\xcc\xb8", 0}, {"npolint", "\xe2\xa8\x94", 0},
	{"npr", "\xe2\x8a\x80", 0}, {"nprcue", "\xe2\x8b\xa0", 0},
	{"npre", "\xe2\xaa\xaf\xcc\xb8", 0}, {"nprec", "\xe2\x8a\x80", 0},
	{"npreceq", "\xe2\xaa\xaf\xcc\xb8", 0}, {"nrArr", "\xe2\x87\x8f", 0},
	{"nrarr", "\xe2\x86\x9b", 0}, {"nrarrc", "\xe2\xa4\xb3\xcc\xb8", 0},
	{"nrarrw", "\xe2\x86\x9d\xcc\xb8", 0}, {"nrightarrow", "\xe2\x86\x9b", 0},
	{"nrtri", "\xe2\x8b\xab", 0}, {"nrtrie", "\xe2\x8b\xad", 0}, {"nsc", "\xe2\x8a\x81", 0},
	{"nsccue", "\xe2\x8b\xa1", 0}, {"nsce", "\xe2\xaa\xb0\xcc\xb8", 0},
	{"nscr", "\xf0\x9d\x93\x83", 0}, {"nshortmid", "\xe2\x88\xa4", 0},
	{"nshortparallel", "\xe2\x88\xa6", 0}, {"nsim", "\xe2\x89\x81", 0},
	{"nsime", "\xe2\x89\x84", 0}, {"nsimeq", "\xe2\x89\x84", 0}, {"nsmid", "\xe2\x88\xa4", 0},
	{"nspar", "\xe2\x88\xa6", 0}, {"nsqsube", "\xe2\x8b\xa2", 0}, {"nsqsupe", "\xe2\x8b\xa3", 0},
	{"nsub", "\xe2\x8a\x84", 0}, {"nsubE", "\xe2\xab\x85\xcc\xb8", 0},
	{"nsube", "\xe2\x8a\x88", 0}, {"nsubset", "\xe2\x8a\x82\xe2\x83\x92", 0},
	{"nsubseteq", "\xe2\x8a\x88", 0}, {"nsubseteqq", "\xe2\xab\x85\xcc\xb8", 0},
	{"nsucc", "\xe2\x8a\x81", 0}, {"nsucceq", "\xe2\xaa\xb0\xcc\xb8", 0},
	{"nsup", "\xe2\x8a\x85", 0}, {"nsupE", "\xe2\xab\x86\xcc\xb8", 0},
	{"nsupe", "\xe2\x8a\x89", 0}, {"nsupset", "\xe2\x8a\x83\xe2\x83\x92", 0},
	{"nsupseteq", "\xe2\x8a\x89", 0}, {"nsupseteqq", "\xe2\xab\x86\xcc\xb8", 0},
	{"ntgl", "\xe2\x89\xb9", 0}, {"ntilde", "\xc3\xb1", 1}, {"ntlg", "\xe2\x89\xb8", 0},
	{"ntriangleleft", "\xe2\x8b\xaa", 0}, {"ntrianglelefteq", "\xe2\x8b\xac", 0},
	{"ntriangleright", "\xe2\x8b\xab", 0}, {"ntrianglerighteq", "\xe2\x8b\xad", 0},
	{"nu", "\xce\xbd", 0}, {"num", "\x23", 0}, {"numero", "\xe2\x84\x96", 0},
	{"numsp", "\xe2\x80\x87", 0}, {"nvDash", "\xe2\x8a\xad", 0}, {"nvHarr", "\xe2\xa4\x84", 0},
	{"nvap", "\xe2\x89\x8d\xe2\x83\x92", 0}, {"nvdash", "\xe2\x8a\xac", 0},
	{"nvge", "\xe2\x89\xa5\xe2\x83\x92", 0}, {"nvgt", "\x3e\xe2\x83\x92", 0},
	{"nvinfin", "\xe2\xa7\x9e", 0}, {"nvlArr", "\xe2\xa4\x82", 0},
	{"nvle", "\xe2\x89\xa4\xe2\x83\x92", 0}, {"nvlt", "\x3c\xe2\x83\x92", 0},
	{"nvltrie", "\xe2\x8a\xb4\xe2\x83\x92", 0}, {"nvrArr", "\xe2\xa4\x83", 0},
	{"nvrtrie", "\xe2\x8a\xb5\xe2\x83\x92", 0}, {"nvsim", "\xe2\x88\xbc\xe2\x83\x92", 0},
	{"nwArr", "\xe2\x87\x96", 0}, {"nwarhk", "\xe2\xa4\xa3", 0}, {"nwarr", "\xe2\x86\x96", 0},
	{"nwarrow", "\xe2\x86\x96", 0}, {"nwnear", "\xe2\xa4\xa7", 0}, {"oS", "\xe2\x93\x88", 0},
	{"oacute", "\xc3\xb3", 1}, {"oast", "\xe2\x8a\x9b", 0}, {"ocir", "\xe2\x8a\x9a", 0},
	{"ocirc", "\xc3\xb4", 1}, {"ocy", "\xd0\xbe", 0}, {"odash", "\xe2\x8a\x9d", 0},
	{"odblac", "\xc5\x91", 0}, {"odiv", "\xe2\xa8\xb8", 0}, {"odot", "\xe2\x8a\x99", 0},
	{"odsold", "\xe2\xa6\xbc", 0}, {"oelig", "\xc5\x93", 0}, {"ofcir", "\xe2\xa6\xbf", 0},
	{"ofr", "\xf0\x9d\x94\xac", 0}, {"ogon", "\xcb\x9b", 0}, {"ograve", "\xc3\xb2", 1},
	{"ogt", "\xe2\xa7\x81", 0}, {"ohbar", "\xe2\xa6\xb5", 0}, {"ohm", "\xce\xa9", 0},
	{"oint", "\xe2\x88\xae", 0}, {"olarr", "\xe2\x86\xba", 0}, {"olcir", "\xe2\xa6\xbe", 0},
	{"olcross", "\xe2\xa6\xbb", 0}, {"oline", "\xe2\x80\xbe", 0}, {"olt", "\xe2\xa7\x80", 0},
	{"omacr", "\xc5\x8d", 0}, {"omega", "\xcf\x89", 0}, {"omicron", "\xce\xbf", 0},
	{"omid", "\xe2\xa6\xb6", 0}, {"ominus", "\xe2\x8a\x96", 0}, {"oopf", "\xf0\x9d\x95\xa0", 0},
	{"opar", "\xe2\xa6\xb7", 0}, {"operp", "\xe2\xa6\xb9", 0}, {"oplus", "\xe2\x8a\x95", 0},
	{"or", "\xe2\x88\xa8", 0}, {"orarr", "\xe2\x86\xbb", 0}, {"ord", "\xe2\xa9\x9d", 0},
	{"order", "\xe2\x84\xb4", 0}, {"orderof", "\xe2\x84\xb4", 0}, {"ordf", "\xc2\xaa", 1},
	{"ordm", "\xc2\xba", 1}, {"origof", "\xe2\x8a\xb6", 0}, {"oror", "\xe2\xa9\x96", 0},
	{"orslope", "\xe2\xa9\x97", 0}, {"orv", "\xe2\xa9\x9b", 0}, {"oscr", "\xe2\x84\xb4", 0},
	{"oslash", "\xc3\xb8", 1}, {"osol", "\xe2\x8a\x98", 0}, {"otilde", "\xc3\xb5", 1},
	{"otimes", "\xe2\x8a\x97", 0}, {"otimesas", "\xe2\xa8\xb6", 0}, {"ouml", "\xc3\xb6", 1},
	{"ovbar", "\xe2\x8c\xbd", 0}, {"par", "\xe2\x88\xa5", 0}, {"para", "\xc2\xb6", 1},
	{"parallel", "\xe2\x88\xa5", 0}, {"parsim", "\xe2\xab\xb3", 0}, {"parsl", "\xe2\xab\xbd", 0},
	{"part", "\xe2\x88\x82", 0}, {"pcy", "\xd0\xbf", 0}, {"percnt", "\x25", 0},
	{"period", "\x2e", 0}, {"permil", "\xe2\x80\xb0", 0}, {"perp", "\xe2\x8a\xa5", 0},
	{"pertenk", "\xe2\x80\xb1", 0}, {"pfr", "\xf0\x9d\x94\xad", 0}, {"phi", "\xcf\x86", 0},
	{"phiv", "\xcf\x95", 0}, {"phmmat", "\xe2\x84\xb3", 0}, {"phone", "\xe2\x98\x8e", 0},
	{"pi", "\xcf\x80", 0}, {"pitchfork", "\xe2\x8b\x94", 0}, {"piv", "\xcf\x96", 0},
	{"planck", "\xe2\x84\x8f", 0}, {"planckh", "\xe2\x84\x8e", 0}, {"plankv", "\xe2\x84\x8f", 0},
	{"plus", "\x2b", 0}, {"plusacir", "\xe2\xa8\xa3", 0}, {"plusb", "\xe2\x8a\x9e", 0},
	{"pluscir", "\xe2\xa8\xa2", 0}, {"plusdo", "\xe2\x88\x94", 0}, {"plusdu", "\xe2\xa8\xa5", 0},
	{"pluse", "\xe2\xa9\xb2", 0}, {"plusmn", "\xc2\xb1", 1}, {"plussim", "\xe2\xa8\xa6", 0},
	{"plustwo", "\xe2\xa8\xa7", 0}, {"pm", "\xc2\xb1", 0}, {"pointint", "\xe2\xa8\x95", 0},
	{"popf", "\xf0\x9d\x95\xa1", 0}, {"pound", "\xc2\xa3", 1}, {"pr", "\xe2\x89\xba", 0},
	{"prE", "\xe2\xaa\xb3", 0}, {"prap", "\xe2\xaa\xb7", 0}, {"prcue", "\xe2\x89\xbc", 0},
	{"pre", "\xe2\xaa\xaf", 0}, {"prec", "\xe2\x89\xba", 0}, {"precapprox", "\xe2\xaa\xb7", 0},
	{"preccurlyeq", "\xe2\x89\xbc", 0}, {"preceq", "\xe2\xaa\xaf", 0},
	{"precnapprox", "\xe2\xaa\xb9", 0}, {"precneqq", "\xe2\xaa\xb5", 0},
	{"precnsim", "\xe2\x8b\xa8", 0}, {"precsim", "\xe2\x89\xbe", 0}, {"prime", "\xe2\x80\xb2", 0},
	{"primes", "\xe2\x84\x99", 0}, {"prnE", "\xe2\xaa\xb5", 0}, {"prnap", "\xe2\xaa\xb9", 0},
	{"prnsim", "\xe2\x8b\xa8", 0}, {"prod", "\xe2\x88\x8f", 0}, {"profalar", "\xe2\x8c\xae", 0},
	{"profline", "\xe2\x8c\x92", 0}, {"profsurf", "\xe2\x8c\x93", 0}, {"prop", "\xe2\x88\x9d", 0},
	{"propto", "\xe2\x88\x9d", 0}, {"prsim", "\xe2\x89\xbe", 0}, {"prurel", "\xe2\x8a\xb0", 0},
	{"pscr", "\xf0\x9d\x93\x85", 0}, {"psi", "\xcf\x88", 0}, {"puncsp", "\xe2\x80\x88", 0},
	{"qfr", "\xf0\x9d\x94\xae", 0}, {"qint", "\xe2\xa8\x8c", 0}, {"qopf", "\xf0\x9d\x95\xa2", 0},
	{"qprime", "\xe2\x81\x97", 0}, {"qscr", "\xf0\x9d\x93\x86", 0},
	{"quaternions", "\xe2\x84\x8d", 0}, {"quatint", "\xe2\xa8\x96", 0}, {"quest", "\x3f", 0},
	{"questeq", "\xe2\x89\x9f", 0}, {"quot", "\x22", 1}, {"rAarr", "\xe2\x87\x9b", 0},
	{"rArr", "\xe2\x87\x92", 0}, {"rAtail", "\xe2\xa4\x9c", 0}, {"rBarr", "\xe2\xa4\x8f", 0},
	{"rHar", "\xe2\xa5\xa4", 0}, {"race", "\xe2\x88\xbd\xcc\xb1", 0}, {"racute", "\xc5\x95", 0},
	{"radic", "\xe2\x88\x9a", 0}, {"raemptyv", "\xe2\xa6\xb3", 0}, {"rang", "\xe2\x9f\xa9", 0},
	{"rangd", "\xe2\xa6\x92", 0}, {"range", "\xe2\xa6\xa5", 0}, {"rangle", "\xe2\x9f\xa9", 0},
	{"raquo", "\xc2\xbb", 1}, {"rarr", "\xe2\x86\x92", 0}, {"rarrap", "\xe2\xa5\xb5", 0},
	{"rarrb", "\xe2\x87\xa5", 0}, {"rarrbfs", "\xe2\xa4\xa0", 0}, {"rarrc", "\xe2\xa4\xb3", 0},
	{"rarrfs", "\xe2\xa4\x9e", 0}, {"rarrhk", "\xe2\x86\xaa", 0}, {"rarrlp", "\xe2\x86\xac", 0},
	{"rarrpl", "\xe2\xa5\x85", 0}, {"rarrsim", "\xe2\xa5\xb4", 0}, {"rarrtl", "\xe2\x86\xa3", 0},
	{"rarrw", "\xe2\x86\x9d", 0}, {"ratail", "\xe2\xa4\x9a", 0}, {"ratio", "\xe2\x88\xb6", 0},
	{"rationals", "\xe2\x84\x9a", 0}, {"rbarr", "\xe2\xa4\x8d", 0}, {"rbbrk", "\xe2\x9d\xb3", 0},
	{"rbrace", "\x7d", 0}, {"rbrack", "\x5d", 0}, {"rbrke", "\xe2\xa6\x8c", 0},
	{"rbrksld", "\xe2\xa6\x8e", 0}, {"rbrkslu", "\xe2\xa6\x90", 0}, {"rcaron", "\xc5\x99", 0},
	{"rcedil", "\xc5\x97", 0}, {"rceil", "\xe2\x8c\x89", 0}, {"rcub", "\x7d", 0},
	{"rcy", "\xd1\x80", 0}, {"rdca", "\xe2\xa4\xb7", 0}, {"rdldhar", "\xe2\xa5\xa9", 0},
	{"rdquo", "\xe2\x80\x9d", 0}, {"rdquor", "\xe2\x80\x9d", 0}, {"rdsh", "\xe2\x86\xb3", 0},
	{"real", "\xe2\x84\x9c", 0}, {"realine", "\xe2\x84\x9b", 0}, {"realpart", "\xe2\x84\x9c", 0},
	{"reals", "\xe2\x84\x9d", 0}, {"rect", "\xe2\x96\xad", 0}, {"reg", "\xc2\xae", 1},
	{"rfisht", "\xe2\xa5\xbd", 0}, {"rfloor", "\xe2\x8c\x8b", 0}, {"rfr", "\xf0\x9d\x94\xaf", 0},
	{"rhard", "\xe2\x87\x81", 0}, {"rharu", "\xe2\x87\x80", 0}, {"rharul", "\xe2\xa5\xac", 0},
	{"rho", "\xcf\x81", 0}, {"rhov", "\xcf\xb1", 0}, {"rightarrow", "\xe2\x86\x92", 0},
	{"rightarrowtail", "\xe2\x86\xa3", 0}, {"rightharpoondown", "\xe2\x87\x81", 0},
	{"rightharpoonup", "\xe2\x87\x80", 0}, {"rightleftarrows", "\xe2\x87\x84", 0},
	{"rightleftharpoons", "\xe2\x87\x8c", 0}, {"rightrightarrows", "\xe2\x87\x89", 0},
	{"rightsquigarrow", "\xe2\x86\x9d", 0}, {"rightthreetimes", "\xe2\x8b\x8c", 0},
	{"ring", "\xcb\x9a", 0}, {"risingdotseq", "\xe2\x89\x93", 0}, {"rlarr", "\xe2\x87\x84", 0},
	{"rlhar", "\xe2\x87\x8c", 0}, {"rlm", "\xe2\x80\x8f", 0}, {"rmoust", "\xe2\x8e\xb1", 0},
	{"rmoustache", "\xe2\x8e\xb1", 0}, {"rnmid", "\xe2\xab\xae", 0}, {"roang", "\xe2\x9f\xad", 0},
	{"roarr", "\xe2\x87\xbe", 0}, {"robrk", "\xe2\x9f\xa7", 0}, {"ropar", "\xe2\xa6\x86", 0},
	{"ropf", "\xf0\x9d\x95\xa3", 0}, {"roplus", "\xe2\xa8\xae", 0},
	{"rotimes", "\xe2\xa8\xb5", 0}, {"rpar", "\x29", 0}, {"rpargt", "\xe2\xa6\x94", 0},
	{"rppolint", "\xe2\xa8\x92", 0}, {"rrarr", "\xe2\x87\x89", 0}, {"rsaquo", "\xe2\x80\xba", 0},
	{"rscr", "\xf0\x9d\x93\x87", 0}, {"rsh", "\xe2\x86\xb1", 0}, {"rsqb", "\x5d", 0},
	{"rsquo", "\xe2\x80\x99", 0}, {"rsquor", "\xe2\x80\x99", 0}, {"rthree", "\xe2\x8b\x8c", 0},
	{"rtimes", "\xe2\x8b\x8a", 0}, {"rtri", "\xe2\x96\xb9", 0}, {"rtrie", "\xe2\x8a\xb5", 0},
	{"rtrif", "\xe2\x96\xb8", 0}, {"rtriltri", "\xe2\xa7\x8e", 0}, {"ruluhar", "\xe2\xa5\xa8", 0},
	{"rx", "\xe2\x84\x9e", 0}, {"sacute", "\xc5\x9b", 0}, {"sbquo", "\xe2\x80\x9a", 0},
	{"sc", "\xe2\x89\xbb", 0}, {"scE", "\xe2\xaa\xb4", 0}, {"scap", "\xe2\xaa\xb8", 0},
	{"scaron", "\xc5\xa1", 0}, {"sccue", "\xe2\x89\xbd", 0}, {"sce", "\xe2\xaa\xb0", 0},
	{"scedil", "\xc5\x9f", 0}, {"scirc", "\xc5\x9d", 0}, {"scnE", "\xe2\xaa\xb6", 0},
	{"scnap", "\xe2\xaa\xba", 0}, {"scnsim", "\xe2\x8b\xa9", 0}, {"scpolint", "\xe2\xa8\x93", 0},
	{"scsim", "\xe2\x89\xbf", 0}, {"scy", "\xd1\x81", 0}, {"sdot", "\xe2\x8b\x85", 0},
	{"sdotb", "\xe2\x8a\xa1", 0}, {"sdote", "\xe2\xa9\xa6", 0}, {"seArr", "\xe2\x87\x98", 0},
	{"searhk", "\xe2\xa4\xa5", 0}, {"searr", "\xe2\x86\x98", 0}, {"searrow", "\xe2\x86\x98", 0},
	{"sect", "\xc2\xa7", 1}, {"semi", "\x3b", 0}, {"seswar", "\xe2\xa4\xa9", 0},
	{"setminus", "\xe2\x88\x96", 0}, {"setmn", "\xe2\x88\x96", 0}, {"sext", "\xe2\x9c\xb6", 0},
	{"sfr", "\xf0\x9d\x94\xb0", 0}, {"sfrown", "\xe2\x8c\xa2", 0}, {"sharp", "\xe2\x99\xaf", 0},
	{"shchcy", "\xd1\x89", 0}, {"shcy", "\xd1\x88", 0}, {"shortmid", "\xe2\x88\xa3", 0},
	{"shortparallel", "\xe2\x88\xa5", 0}, {"shy", "\xc2\xad", 1}, {"sigma", "\xcf\x83", 0},
	{"sigmaf", "\xcf\x82", 0}, {"sigmav", "\xcf\x82", 0}, {"sim", "\xe2\x88\xbc", 0},
	{"simdot", "\xe2\xa9\xaa", 0}, {"sime", "\xe2\x89\x83", 0}, {"simeq", "\xe2\x89\x83", 0},
	{"simg", "\xe2\xaa\x9e", 0}, {"simgE", "\xe2\xaa\xa0", 0}, {"siml", "\xe2\xaa\x9d", 0},
	{"simlE", "\xe2\xaa\x9f", 0}, {"simne", "\xe2\x89\x86", 0}, {"simplus", "\xe2\xa8\xa4", 0},
	{"simrarr", "\xe2\xa5\xb2", 0}, {"slarr", "\xe2\x86\x90", 0},
	{"smallsetminus", "\xe2\x88\x96", 0}, {"smashp", "\xe2\xa8\xb3", 0},
	{"smeparsl", "\xe2\xa7\xa4", 0}, {"smid", "\xe2\x88\xa3", 0}, {"smile", "\xe2\x8c\xa3", 0},
	{"smt", "\xe2\xaa\xaa", 0}, {"smte", "\xe2\xaa\xac", 0},
	{"smtes", "\xe2\xaa\xac\xef\xb8\x80", 0}, {"softcy", "\xd1\x8c", 0}, {"sol", "\x2f", 0},
	{"solb", "\xe2\xa7\x84", 0}, {"solbar", "\xe2\x8c\xbf", 0}, {"sopf", "\xf0\x9d\x95\xa4", 0},
	{"spades", "\xe2\x99\xa0", 0}, {"spadesuit", "\xe2\x99\xa0", 0}, {"spar", "\xe2\x88\xa5", 0},
	{"sqcap", "\xe2\x8a\x93", 0}, {"sqcaps", "\xe2\x8a\x93\xef\xb8\x80", 0},
	{"sqcup", "\xe2\x8a\x94", 0}, {"sqcups", "\xe2\x8a\x94\xef\xb8\x80", 0},
	{"sqsub", "\xe2\x8a\x8f", 0}, {"sqsube", "\xe2\x8a\x91", 0}, {"sqsubset", "\xe2\x8a\x8f", 0},
	{"sqsubseteq", "\xe2\x8a\x91", 0}, {"sqsup", "\xe2\x8a\x90", 0},
	{"sqsupe", "\xe2\x8a\x92", 0}, {"sqsupset", "\xe2\x8a\x90", 0},
	{"sqsupseteq", "\xe2\x8a\x92", 0}, {"squ", "\xe2\x96\xa1", 0}, {"square", "\xe2\x96\xa1", 0},
	{"squarf", "\xe2\x96\xaa", 0}, {"squf", "\xe2\x96\xaa", 0}, {"srarr", "\xe2\x86\x92", 0},
	{"sscr", "\xf0\x9d\x93\x88", 0}, {"ssetmn", "\xe2\x88\x96", 0}, {"ssmile", "\xe2\x8c\xa3", 0},
	{"sstarf", "\xe2\x8b\x86", 0}, {"star", "\xe2\x98\x86", 0}, {"starf", "\xe2\x98\x85", 0},
	{"straightepsilon", "\xcf\xb5", 0}, {"straightphi", "\xcf\x95", 0}, {"strns", "\xc2\xaf", 0},
	{"sub", "\xe2\x8a\x82", 0}, {"subE", "\xe2\xab\x85", 0}, {"subdot", "\xe2\xaa\xbd", 0},
	{"sube", "\xe2\x8a\x86", 0}, {"subedot", "\xe2\xab\x83", 0}, {"submult", "\xe2\xab\x81", 0},
	{"subnE", "\xe2\xab\x8b", 0}, {"subne", "\xe2\x8a\x8a", 0}, {"subplus", "\xe2\xaa\xbf", 0},
	{"subrarr", "\xe2\xa5\xb9", 0}, {"subset", "\xe2\x8a\x82", 0},
	{"subseteq", "\xe2\x8a\x86", 0}, {"subseteqq", "\xe2\xab\x85", 0},
	{"subsetneq", "\xe2\x8a\x8a", 0}, {"subsetneqq", "\xe2\xab\x8b", 0},
	{"subsim", "\xe2\xab\x87", 0}, {"subsub", "\xe2\xab\x95", 0}, {"subsup", "\xe2\xab\x93", 0},
	{"succ", "\xe2\x89\xbb", 0}, {"succapprox", "\xe2\xaa\xb8", 0},
	{"succcurlyeq", "\xe2\x89\xbd", 0}, {"succeq", "\xe2\xaa\xb0", 0},
	{"succnapprox", "\xe2\xaa\xba", 0}, {"succneqq", "\xe2\xaa\xb6", 0},
	{"succnsim", "\xe2\x8b\xa9", 0}, {"succsim", "\xe2\x89\xbf", 0}, {"sum", "\xe2\x88\x91", 0},
	{"sung", "\xe2\x99\xaa", 0}, {"sup", "\xe2\x8a\x83", 0}, {"sup1", "\xc2\xb9", 1},
	{"sup2", "\xc2\xb2", 1}, {"sup3", "\xc2\xb3", 1}, {"supE", "\xe2\xab\x86", 0},
	{"supdot", "\xe2\xaa\xbe", 0}, {"supdsub", "\xe2\xab\x98", 0}, {"supe", "\xe2\x8a\x87", 0},
	{"supedot", "\xe2\xab\x84", 0}, {"suphsol", "\xe2\x9f\x89", 0},
	{"suphsub", "\xe2\xab\x97", 0}, {"suplarr", "\xe2\xa5\xbb", 0},
	{"supmult", "\xe2\xab\x82", 0}, {"supnE", "\xe2\xab\x8c", 0}, {"supne", "\xe2\x8a\x8b", 0},
	{"supplus", "\xe2\xab\x80", 0}, {"supset", "\xe2\x8a\x83", 0},
	{"supseteq", "\xe2\x8a\x87", 0}, {"supseteqq", "\xe2\xab\x86", 0},
	{"supsetneq", "\xe2\x8a\x8b", 0}, {"supsetneqq", "\xe2\xab\x8c", 0},
	{"supsim", "\xe2\xab\x88", 0}, {"supsub", "\xe2\xab\x94", 0}, {"supsup", "\xe2\xab\x96", 0},
	{"swArr", "\xe2\x87\x99", 0}, {"swarhk", "\xe2\xa4\xa6", 0}, {"swarr", "\xe2\x86\x99", 0},
	{"swarrow", "\xe2\x86\x99", 0}, {"swnwar", "\xe2\xa4\xaa", 0}, {"szlig", "\xc3\x9f", 1},
	{"target", "\xe2\x8c\x96", 0}, {"tau", "\xcf\x84", 0}, {"tbrk", "\xe2\x8e\xb4", 0},
	{"tcaron", "\xc5\xa5", 0}, {"tcedil", "\xc5\xa3", 0}, {"tcy", "\xd1\x82", 0},
	{"tdot", "\xe2\x83\x9b", 0}, {"telrec", "\xe2\x8c\x95", 0}, {"tfr", "\xf0\x9d\x94\xb1", 0},
	{"there4", "\xe2\x88\xb4", 0}, {"therefore", "\xe2\x88\xb4", 0}, {"theta", "\xce\xb8", 0},
	{"thetasym", "\xcf\x91", 0}, {"thetav", "\xcf\x91", 0}, {"thickapprox", "\xe2\x89\x88", 0},
	{"thicksim", "\xe2\x88\xbc", 0}, {"thinsp", "\xe2\x80\x89", 0}, {"thkap", "\xe2\x89\x88", 0},
	{"thksim", "\xe2\x88\xbc", 0}, {"thorn", "\xc3\xbe", 1}, {"tilde", "\xcb\x9c", 0},
	{"times", "\xc3\x97", 1}, {"timesb", "\xe2\x8a\xa0", 0}, {"timesbar", "\xe2\xa8\xb1", 0},
	{"timesd", "\xe2\xa8\xb0", 0}, {"tint", "\xe2\x88\xad", 0}, {"toea", "\xe2\xa4\xa8", 0},
	{"top", "\xe2\x8a\xa4", 0}, {"topbot", "\xe2\x8c\xb6", 0}, {"topcir", "\xe2\xab\xb1", 0},
	{"topf", "\xf0\x9d\x95\xa5", 0}, {"topfork", "\xe2\xab\x9a", 0}, {"tosa", "\xe2\xa4\xa9", 0},
	{"tprime", "\xe2\x80\xb4", 0}, {"trade", "\xe2\x84\xa2", 0}, {"triangle", "\xe2\x96\xb5", 0},
	{"triangledown", "\xe2\x96\xbf", 0}, {"triangleleft", "\xe2\x97\x83", 0},
	{"trianglelefteq", "\xe2\x8a\xb4", 0}, {"triangleq", "\xe2\x89\x9c", 0},
	{"triangleright", "\xe2\x96\xb9", 0}, {"trianglerighteq", "\xe2\x8a\xb5", 0},
	{"tridot", "\xe2\x97\xac", 0}, {"trie", "\xe2\x89\x9c", 0}, {"triminus", "\xe2\xa8\xba", 0},
	{"triplus", "\xe2\xa8\xb9", 0}, {"trisb", "\xe2\xa7\x8d", 0}, {"tritime", "\xe2\xa8\xbb", 0},
	{"trpezium", "\xe2\x8f\xa2", 0}, {"tscr", "\xf0\x9d\x93\x89", 0}, {"tscy", "\xd1\x86", 0},
	{"tshcy", "\xd1\x9b", 0}, {"tstrok", "\xc5\xa7", 0}, {"twixt", "\xe2\x89\xac", 0},
	{"twoheadleftarrow", "\xe2\x86\x9e", 0}, {"twoheadrightarrow", "\xe2\x86\xa0", 0},
	{"uArr", "\xe2\x87\x91", 0}, {"uHar", "\xe2\xa5\xa3", 0}, {"uacute", "\xc3\xba", 1},
	{"uarr", "\xe2\x86\x91", 0}, {"ubrcy", "\xd1\x9e", 0}, {"ubreve", "\xc5\xad", 0},
	{"ucirc", "\xc3\xbb", 1}, {"ucy", "\xd1\x83", 0}, {"udarr", "\xe2\x87\x85", 0},
	{"udblac", "\xc5\xb1", 0}, {"udhar", "\xe2\xa5\xae", 0}, {"ufisht", "\xe2\xa5\xbe", 0},
	{"ufr", "\xf0\x9d\x94\xb2", 0}, {"ugrave", "\xc3\xb9", 1}, {"uharl", "\xe2\x86\xbf", 0},
	{"uharr", "\xe2\x86\xbe", 0}, {"uhblk", "\xe2\x96\x80", 0}, {"ulcorn", "\xe2\x8c\x9c", 0},
	{"ulcorner", "\xe2\x8c\x9c", 0}, {"ulcrop", "\xe2\x8c\x8f", 0}, {"ultri", "\xe2\x97\xb8", 0},
	{"umacr", "\xc5\xab", 0}, {"uml", "\xc2\xa8", 1}, {"uogon", "\xc5\xb3", 0},
	{"uopf", "\xf0\x9d\x95\xa6", 0}, {"uparrow", "\xe2\x86\x91", 0},
	{"updownarrow", "\xe2\x86\x95", 0}, {"upharpoonleft", "\xe2\x86\xbf", 0},
	{"upharpoonright", "\xe2\x86\xbe", 0}, {"uplus", "\xe2\x8a\x8e", 0}, {"upsi", "\xcf\x85", 0},
	{"upsih", "\xcf\x92", 0}, {"upsilon", "\xcf\x85", 0}, {"upuparrows", "\xe2\x87\x88", 0},
	{"urcorn", "\xe2\x8c\x9d", 0}, {"urcorner", "\xe2\x8c\x9d", 0}, {"urcrop", "\xe2\x8c\x8e", 0},
	{"uring", "\xc5\xaf", 0}, {"urtri", "\xe2\x97\xb9", 0}, {"uscr", "\xf0\x9d\x93\x8a", 0},
	{"utdot", "\xe2\x8b\xb0", 0}, {"utilde", "\xc5\xa9", 0}, {"utri", "\xe2\x96\xb5", 0},
	{"utrif", "\xe2\x96\xb4", 0}, {"uuarr", "\xe2\x87\x88", 0}, {"uuml", "\xc3\xbc", 1},
	{"uwangle", "\xe2\xa6\xa7", 0}, {"vArr", "\xe2\x87\x95", 0}, {"vBar", "\xe2\xab\xa8", 0},
	{"vBarv", "\xe2\xab\xa9", 0}, {"vDash", "\xe2\x8a\xa8", 0}, {"vangrt", "\xe2\xa6\x9c", 0},
	{"varepsilon", "\xcf\xb5", 0}, {"varkappa", "\xcf\xb0", 0}, {"varnothing", "\xe2\x88\x85", 0},
	{"varphi", "\xcf\x95", 0}, {"varpi", "\xcf\x96", 0}, {"varpropto", "\xe2\x88\x9d", 0},
	{"varr", "\xe2\x86\x95", 0}, {"varrho", "\xcf\xb1", 0}, {"varsigma", "\xcf\x82", 0},
	{"varsubsetneq", "\xe2\x8a\x8a\xef\xb8\x80", 0},
	{"varsubsetneqq", "\xe2\xab\x8b\xef\xb8\x80", 0},
	{"varsupsetneq", "\xe2\x8a\x8b\xef\xb8\x80", 0},
	{"varsupsetneqq", "\xe2\xab\x8c\xef\xb8\x80", 0}, {"vartheta", "\xcf\x91", 0},
	{"vartriangleleft", "\xe2\x8a\xb2", 0}, {"vartriangleright", "\xe2\x8a\xb3", 0},
	{"vcy", "\xd0\xb2", 0}, {"vdash", "\xe2\x8a\xa2", 0}, {"vee", "\xe2\x88\xa8", 0},
	{"veebar", "\xe2\x8a\xbb", 0}, {"veeeq", "\xe2\x89\x9a", 0}, {"vellip", "\xe2\x8b\xae", 0},
	{"verbar", "\x7c", 0}, {"vert", "\x7c", 0}, {"vfr", "\xf0\x9d\x94\xb3", 0},
	{"vltri", "\xe2\x8a\xb2", 0}, {"vnsub", "\xe2\x8a\x82\xe2\x83\x92", 0},
	{"vnsup", "\xe2\x8a\x83\xe2\x83\x92", 0}, {"vopf", "\xf0\x9d\x95\xa7", 0},
	{"vprop", "\xe2\x88\x9d", 0}, {"vrtri", "\xe2\x8a\xb3", 0}, {"vscr", "\xf0\x9d\x93\x8b", 0},
	{"vsubnE", "\xe2\xab\x8b\xef\xb8\x80", 0}, {"vsubne", "\xe2\x8a\x8a\xef\xb8\x80", 0},
	{"vsupnE", "\xe2\xab\x8c\xef\xb8\x80", 0}, {"vsupne", "\xe2\x8a\x8b\xef\xb8\x80", 0},
	{"vzigzag", "\xe2\xa6\x9a", 0}, {"wcirc", "\xc5\xb5", 0}, {"wedbar", "\xe2\xa9\x9f", 0},
	{"wedge", "\xe2\x88\xa7", 0}, {"wedgeq", "\xe2\x89\x99", 0}, {"weierp", "\xe2\x84\x98", 0},
	{"wfr", "\xf0\x9d\x94\xb4", 0}, {"wopf", "\xf0\x9d\x95\xa8", 0}, {"wp", "\xe2\x84\x98", 0},
	{"wr", "\xe2\x89\x80", 0}, {"wreath", "\xe2\x89\x80", 0}, {"wscr", "\xf0\x9d\x93\x8c", 0},
	{"xcap", "\xe2\x8b\x82", 0}, {"xcirc", "\xe2\x97\xaf", 0}, {"xcup", "\xe2\x8b\x83", 0},
	{"xdtri", "\xe2\x96\xbd", 0}, {"xfr", "\xf0\x9d\x94\xb5", 0}, {"xhArr", "\xe2\x9f\xba", 0},
	{"xharr", "\xe2\x9f\xb7", 0}, {"xi", "\xce\xbe", 0}, {"xlArr", "\xe2\x9f\xb8", 0},
	{"xlarr", "\xe2\x9f\xb5", 0}, {"xmap", "\xe2\x9f\xbc", 0}, {"xnis", "\xe2\x8b\xbb", 0},
	{"xodot", "\xe2\xa8\x80", 0}, {"xopf", "\xf0\x9d\x95\xa9", 0}, {"xoplus", "\xe2\xa8\x81", 0},
	{"xotime", "\xe2\xa8\x82", 0}, {"xrArr", "\xe2\x9f\xb9", 0}, {"xrarr", "\xe2\x9f\xb6", 0},
	{"xscr", "\xf0\x9d\x93\x8d", 0}, {"xsqcup", "\xe2\xa8\x86", 0}, {"xuplus", "\xe2\xa8\x84", 0},
	{"xutri", "\xe2\x96\xb3", 0}, {"xvee", "\xe2\x8b\x81", 0}, {"xwedge", "\xe2\x8b\x80", 0},
	{"yacute", "\xc3\xbd", 1}, {"yacy", "\xd1\x8f", 0}, {"ycirc", "\xc5\xb7", 0},
	{"ycy", "\xd1\x8b", 0}, {"yen", "\xc2\xa5", 1}, {"yfr", "\xf0\x9d\x94\xb6", 0},
	{"yicy", "\xd1\x97", 0}, {"yopf", "\xf0\x9d\x95\xaa", 0}, {"yscr", "\xf0\x9d\x93\x8e", 0},
	{"yucy", "\xd1\x8e", 0}, {"yuml", "\xc3\xbf", 1}, {"zacute", "\xc5\xba", 0},
	{"zcaron", "\xc5\xbe", 0}, {"zcy", "\xd0\xb7", 0}, {"zdot", "\xc5\xbc", 0},
	{"zeetrf", "\xe2\x84\xa8", 0}, {"zeta", "\xce\xb6", 0}, {"zfr", "\xf0\x9d\x94\xb7", 0},
	{"zhcy", "\xd0\xb6", 0}, {"zigrarr", "\xe2\x87\x9d", 0}, {"zopf", "\xf0\x9d\x95\xab", 0},
	{"zscr", "\xf0\x9d\x93\x8f", 0}, {"zwj", "\xe2\x80\x8d", 0}, {"zwnj", "\xe2\x80\x8c", 0},
};

#define ENTITY_MAX_NAME 31	/* "CounterClockwiseContourIntegral" */
#define ENTITY_MAX_LEGACY 6	/* "curren", "middot", ... */

/* Finds the entity named exactly name[0..len); NULL when there is none. */
static const struct entity *entity_find(const char *name, size_t len)
{
	size_t lo = 0, hi = sizeof(entities) / sizeof(entities[0]);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *t = entities[mid].name;
		int r = strncmp(t, name, len);

		if (r == 0 && t[len] != '\0')
			r = 1;	/* t is longer, so it sorts after name */
		if (r == 0)
			return &entities[mid];
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* HTML maps numeric references in 0x80-0x9F through Windows-1252. */
static const uint16_t win1252_c1[32] = {
	0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160,
	0x2039, 0x0152, 0x008d, 0x017d, 0x008f, 0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022,
	0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
};

static int is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int hex_val(unsigned char c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decodes the character reference at s[0] == '&' (n bytes available) and
 * appends it. *used receives the bytes consumed; something that is not a
 * reference appends a literal '&' and consumes 1. Returns 0 or -1 (memory).
 */
static int decode_ref(const unsigned char *s, size_t n, struct em_buf *out, size_t *used)
{
	size_t j;

	if (n >= 2 && s[1] == '#') {
		int hex = 0, overflow = 0;
		uint32_t v = 0;
		size_t start;
		int32_t cp;

		j = 2;
		if (j < n && (s[j] == 'x' || s[j] == 'X')) {
			hex = 1;
			j++;
		}
		for (start = j; j < n; j++) {
			int d = hex ? hex_val(s[j]) : (is_digit(s[j]) ? s[j] - '0' : -1);

			if (d < 0)
				break;
			/* Keep consuming digits but stop growing: "&#99999999999;" is one reference. */
			if (!overflow) {
				v = v * (hex ? 16 : 10) + (uint32_t)d;
				if (v > 0x10ffff)
					overflow = 1;
			}
		}
		if (j == start) {
			*used = 1;
			return em_buf_putc(out, '&');
		}
		if (j < n && s[j] == ';')
			j++;
		*used = j;
		if (overflow || v == 0 || (v >= 0xd800 && v <= 0xdfff))
			cp = 0xfffd;
		else if (v >= 0x80 && v <= 0x9f)
			cp = win1252_c1[v - 0x80];
		else
			cp = (int32_t)v;
		return buf_put_cp(out, cp);
	}
	for (j = 1; j < n && j <= ENTITY_MAX_NAME + 1 && (is_alpha(s[j]) || is_digit(s[j])); j++)
		;
	if (j < n && s[j] == ';' && j > 1) {
		const struct entity *e = entity_find((const char *)s + 1, j - 1);

		if (e != NULL) {
			*used = j + 1;
			return em_buf_puts(out, e->utf8);
		}
	}
	/* Without ';' browsers take the longest legacy name that prefixes the run. */
	for (size_t l = j - 1 < ENTITY_MAX_LEGACY ? j - 1 : ENTITY_MAX_LEGACY; l >= 2; l--) {
		const struct entity *e = entity_find((const char *)s + 1, l);

		if (e != NULL && e->legacy) {
			*used = l + 1;
			return em_buf_puts(out, e->utf8);
		}
	}
	*used = 1;
	return em_buf_putc(out, '&');
}

/* ---------------------------------------------------------------------------
 * HTML to text
 */

/*
 * Appends text, decoding character references when refs is set. NUL bytes
 * and invalid UTF-8 are dropped (a browser shows neither, and dropping keeps
 * "OFF<NUL>ICIAL" one word, as em_norm_append would).
 */
static int put_text(const unsigned char *s, size_t n, int refs, struct em_buf *out)
{
	size_t i = 0;

	while (i < n) {
		size_t j = i;
		int32_t cp;
		size_t k;

		while (j < n && s[j] != 0 && s[j] < 0x80 && !(refs && s[j] == '&'))
			j++;
		if (j > i && em_buf_append(out, s + i, j - i) < 0)
			return -1;
		i = j;
		if (i == n)
			break;
		if (s[i] == '&') {
			if (decode_ref(s + i, n - i, out, &k) < 0)
				return -1;
			i += k;
		} else if (s[i] == 0) {
			i++;
		} else if ((k = utf8_decode(s + i, n - i, &cp)) == 0) {
			i++;
		} else {
			if (em_buf_append(out, s + i, k) < 0)
				return -1;
			i += k;
		}
	}
	return 0;
}

enum tag_mode {
	TAG_PLAIN = 0,
	TAG_SKIP,	/* style, script: content is never text */
	TAG_RCDATA,	/* title, textarea: content is text with references, no tags */
	TAG_RAW,	/* xmp: content is shown literally */
	TAG_PLAINTEXT,	/* plaintext: the rest of the document is shown literally */
};

enum tag_layout {
	TAG_INLINE = 0,
	TAG_BLOCK,	/* laid out as its own block: a '\n' */
	TAG_SCRIPT,	/* sup, sub: a space before a number raised or lowered in it */
};

struct tag_info {
	const char *name;
	unsigned char block;	/* enum tag_layout */
	unsigned char mode;
};

/* Sorted by name. Block elements beyond the header's list are the other
 * elements a mail client lays out as their own block. */
static const struct tag_info tag_table[] = {
	{"address", 1, TAG_PLAIN},	{"article", 1, TAG_PLAIN},
	{"aside", 1, TAG_PLAIN},	{"blockquote", 1, TAG_PLAIN},
	{"br", 1, TAG_PLAIN},		{"caption", 1, TAG_PLAIN},
	{"center", 1, TAG_PLAIN},	{"dd", 1, TAG_PLAIN},
	{"details", 1, TAG_PLAIN},	{"dialog", 1, TAG_PLAIN},
	{"div", 1, TAG_PLAIN},		{"dl", 1, TAG_PLAIN},
	{"dt", 1, TAG_PLAIN},		{"fieldset", 1, TAG_PLAIN},
	{"figcaption", 1, TAG_PLAIN},	{"figure", 1, TAG_PLAIN},
	{"footer", 1, TAG_PLAIN},	{"form", 1, TAG_PLAIN},
	{"h1", 1, TAG_PLAIN},		{"h2", 1, TAG_PLAIN},
	{"h3", 1, TAG_PLAIN},		{"h4", 1, TAG_PLAIN},
	{"h5", 1, TAG_PLAIN},		{"h6", 1, TAG_PLAIN},
	{"header", 1, TAG_PLAIN},	{"hr", 1, TAG_PLAIN},
	{"legend", 1, TAG_PLAIN},	{"li", 1, TAG_PLAIN},
	{"main", 1, TAG_PLAIN},		{"nav", 1, TAG_PLAIN},
	{"ol", 1, TAG_PLAIN},		{"option", 1, TAG_PLAIN},
	{"p", 1, TAG_PLAIN},		{"plaintext", 1, TAG_PLAINTEXT},
	{"pre", 1, TAG_PLAIN},		{"script", 0, TAG_SKIP},
	{"section", 1, TAG_PLAIN},	{"style", 0, TAG_SKIP},
	{"sub", 2, TAG_PLAIN},		{"summary", 1, TAG_PLAIN},
	{"sup", 2, TAG_PLAIN},		{"table", 1, TAG_PLAIN},
	{"tbody", 1, TAG_PLAIN},	{"td", 1, TAG_PLAIN},
	{"textarea", 1, TAG_RCDATA},	{"tfoot", 1, TAG_PLAIN},
	{"th", 1, TAG_PLAIN},		{"thead", 1, TAG_PLAIN},
	{"title", 1, TAG_RCDATA},	{"tr", 1, TAG_PLAIN},
	{"ul", 1, TAG_PLAIN},		{"xmp", 1, TAG_RAW},
};

#define TAG_MAX_NAME 10

static int is_html_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static unsigned char ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* Looks a tag name up case-insensitively; NULL for an unlisted tag. */
static const struct tag_info *tag_find(const unsigned char *name, size_t len)
{
	char low[TAG_MAX_NAME + 1];
	size_t lo = 0, hi = sizeof(tag_table) / sizeof(tag_table[0]);

	if (len == 0 || len > TAG_MAX_NAME)
		return NULL;
	for (size_t i = 0; i < len; i++)
		low[i] = (char)ascii_lower(name[i]);
	low[len] = '\0';
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(tag_table[mid].name, low);

		if (r == 0)
			return &tag_table[mid];
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Position of the first occurrence of needle at or after from, or n. */
static size_t find_str(const unsigned char *s, size_t n, size_t from, const char *needle)
{
	size_t nl = strlen(needle);
	const unsigned char *p;

	if (from >= n || n - from < nl)
		return n;
	p = memmem(s + from, n - from, needle, nl);
	return p ? (size_t)(p - s) : n;
}

/* Index just past the next '>' at or after from, or n when there is none. */
static size_t skip_past_gt(const unsigned char *s, size_t n, size_t from)
{
	const unsigned char *p;

	if (from >= n)
		return n;
	p = memchr(s + from, '>', n - from);
	return p ? (size_t)(p - s) + 1 : n;
}

/*
 * Finds the end tag "</name" (any case, followed by space, '/', '>' or the
 * end) that closes a raw-text element; returns its position or n.
 */
static size_t find_end_tag(const unsigned char *s, size_t n, size_t from, const char *name)
{
	size_t nl = strlen(name);

	while (from < n) {
		const unsigned char *p = memchr(s + from, '<', n - from);
		size_t at, k;

		if (p == NULL)
			return n;
		at = (size_t)(p - s);
		from = at + 1;
		if (n - at < nl + 2 || s[at + 1] != '/')
			continue;
		for (k = 0; k < nl && ascii_lower(s[at + 2 + k]) == (unsigned char)name[k]; k++)
			;
		if (k < nl)
			continue;
		k = at + 2 + nl;
		if (k == n || is_html_space(s[k]) || s[k] == '/' || s[k] == '>')
			return at;
	}
	return n;
}

/*
 * Scans a tag's attributes from k (just after its name) to the closing '>',
 * honouring quoted values, which may contain '>'. Returns the index just past
 * '>', or 0 when the tag is not terminated before the end of the input.
 */
static size_t scan_attrs(const unsigned char *s, size_t n, size_t k)
{
	for (;;) {
		while (k < n && (is_html_space(s[k]) || s[k] == '/'))
			k++;
		if (k >= n)
			return 0;
		if (s[k] == '>')
			return k + 1;
		/* Attribute name; a leading '=' belongs to the name in HTML. */
		k++;
		while (k < n && !is_html_space(s[k]) && s[k] != '/' && s[k] != '>' && s[k] != '=')
			k++;
		while (k < n && is_html_space(s[k]))
			k++;
		if (k >= n || s[k] != '=')
			continue;
		k++;
		while (k < n && is_html_space(s[k]))
			k++;
		if (k < n && (s[k] == '"' || s[k] == '\'')) {
			const unsigned char *q = memchr(s + k + 1, s[k], n - k - 1);

			if (q == NULL)
				return 0;
			k = (size_t)(q - s) + 1;
		} else {
			while (k < n && !is_html_space(s[k]) && s[k] != '>')
				k++;
		}
	}
}

/*
 * Where the first comment end ("-->" or "--!>") at or after a position lies.
 * Conditional comments restart parsing inside a comment, so the same end may
 * be asked for from many positions; remembering the last answer keeps a
 * document of nested "<!--[if]>" openers linear.
 */
struct cmt_cache {
	size_t from, end;
	int valid;
};

static size_t comment_end(const unsigned char *s, size_t n, size_t j, struct cmt_cache *c)
{
	size_t end;

	/* No end lies in [from, end), so none lies in [j, end) either. */
	if (c->valid && j >= c->from && j <= c->end)
		return c->end;
	end = find_str(s, n, j, "--");
	while (end < n) {
		if (end + 2 < n && s[end + 2] == '>')
			break;
		if (end + 3 < n && s[end + 2] == '!' && s[end + 3] == '>')
			break;
		end = find_str(s, n, end + 1, "--");
	}
	c->from = j;
	c->end = end;
	c->valid = 1;
	return end;
}

/*
 * Handles the comment starting at i ("<!--"); returns where parsing goes on.
 * A downlevel-hidden conditional comment ("<!--[if mso]> ... <![endif]-->")
 * is rendered by Outlook, so its opener is dropped and its content parsed as
 * HTML; its closer is then a "<![...]>" declaration.
 */
static size_t skip_comment(const unsigned char *s, size_t n, size_t i, struct cmt_cache *c)
{
	size_t j = i + 4, end;

	if (j < n && s[j] == '>')
		return j + 1;	/* "<!-->" */
	if (j + 1 < n && s[j] == '-' && s[j + 1] == '>')
		return j + 2;	/* "<!--->" */
	end = comment_end(s, n, j, c);
	if (end >= n)
		return n;	/* unterminated: the rest is comment, even after "[if]>" */
	if (n - j >= 3 && s[j] == '[' && ascii_lower(s[j + 1]) == 'i' && ascii_lower(s[j + 2]) == 'f') {
		/* Bounded by the comment's end, so each byte is searched once. */
		size_t open = find_str(s, end, j, "]>");

		if (open < end)
			return open + 2;
	}
	return end + (s[end + 2] == '>' ? 3 : 4);
}

/*
 * See em_text.h. Linear in len whatever the input. A tag still open at the
 * end of the input is kept as text. Appends to out (owned by the caller);
 * 0, or -1 when out of memory.
 */
/*
 * What a tag puts between the words around it: a block element a '\n'; an
 * opening <sup> or <sub> whose content (after any tags) starts with a digit
 * a space, so a footnote reference Word pasted after a figure
 * ("42,850<sup>2</sup>", "3.2%<sup>1</sup>") is not read as part of it
 * ("42,8502"); an ordinal "12<sup>th</sup>" stays one word. s[i] is the byte
 * after the tag. 0, or -1 out of memory.
 */
static int layout_break(const struct tag_info *t, bool closing, const unsigned char *s, size_t n,
			size_t i, struct em_buf *out)
{
	if (t->block == TAG_BLOCK)
		return em_buf_putc(out, '\n');
	if (t->block != TAG_SCRIPT || closing)
		return 0;
	while (i < n && s[i] == '<')
		i = skip_past_gt(s, n, i + 1);
	return i < n && s[i] >= '0' && s[i] <= '9' ? em_buf_putc(out, ' ') : 0;
}

int em_html_to_text(const char *in, size_t len, struct em_buf *out)
{
	const unsigned char *s = (const unsigned char *)in;
	struct cmt_cache cc = {0, 0, 0};
	size_t i = 0;

	while (i < len) {
		const unsigned char *lt = memchr(s + i, '<', len - i);
		size_t p = lt ? (size_t)(lt - s) : len, k, name, end;
		const struct tag_info *t;
		int closing;

		if (put_text(s + i, p - i, 1, out) < 0)
			return -1;
		i = p;
		if (i >= len)
			break;
		if (i + 1 >= len) {
			if (em_buf_putc(out, '<') < 0)
				return -1;
			break;
		}
		if (s[i + 1] == '!') {
			if (len - i >= 4 && s[i + 2] == '-' && s[i + 3] == '-')
				i = skip_comment(s, len, i, &cc);
			else if (len - i >= 9 && memcmp(s + i + 2, "[CDATA[", 7) == 0)
				i = (k = find_str(s, len, i + 9, "]]>")) < len ? k + 3 : len;
			else
				i = skip_past_gt(s, len, i + 2);	/* DOCTYPE, <![endif]>, ... */
			continue;
		}
		if (s[i + 1] == '?') {
			i = skip_past_gt(s, len, i + 2);	/* processing instruction */
			continue;
		}
		closing = s[i + 1] == '/';
		name = i + 1 + (size_t)closing;
		if (closing && name < len && s[name] == '>') {
			i = name + 1;	/* "</>" is ignored */
			continue;
		}
		if (closing && name < len && !is_alpha(s[name])) {
			i = skip_past_gt(s, len, name);	/* "</ x>" is a bogus comment */
			continue;
		}
		if (name >= len || !is_alpha(s[name])) {
			/* "a < b", "</" at the end: a literal '<'. */
			if (em_buf_putc(out, '<') < 0)
				return -1;
			i++;
			continue;
		}
		for (k = name; k < len && !is_html_space(s[k]) && s[k] != '/' && s[k] != '>'; k++)
			;
		t = tag_find(s + name, k - name);
		end = scan_attrs(s, len, k);
		if (end == 0) {
			/*
			 * A tag still open at the end of the input: a browser would
			 * drop the rest, but the rest is still being sent, so it is
			 * kept as text rather than hidden.
			 */
			return put_text(s + i, len - i, 1, out);
		}
		i = end;
		if (t != NULL && layout_break(t, closing, s, len, i, out) < 0)
			return -1;
		if (t == NULL || closing || t->mode == TAG_PLAIN)
			continue;
		if (t->mode == TAG_PLAINTEXT)
			return put_text(s + i, len - i, 0, out);
		k = find_end_tag(s, len, i, t->name);
		if (t->mode != TAG_SKIP && put_text(s + i, k - i, t->mode == TAG_RCDATA, out) < 0)
			return -1;
		i = k;
	}
	return 0;
}


/* ---------------------------------------------------------------------------
 * The displayed reading
 */

#define DISP_STACK 256
#define STYLE_MAX 1024

/* The attributes of one start tag that the displayed reading needs. */
struct tag_attrs {
	const unsigned char *style, *dir, *alt, *title, *value, *width, *height, *href;
	size_t style_len, dir_len, alt_len, title_len, value_len, width_len, height_len, href_len;
	bool hidden;
	bool self_closing;
};

/* An open element and the visibility its style gives its content. */
struct disp_el {
	char name[TAG_MAX_NAME + 1];
	unsigned char none;	/* display:none and the like: nothing inside shows */
	signed char vis;	/* visibility: -1 inherited, 0 hidden, 1 visible */
	signed char fs0;	/* font size: -1 inherited, 1 zero, 0 readable */
	unsigned char rtl;	/* a U+202E was emitted for it */
};

static bool name_is(const unsigned char *s, size_t n, const char *name)
{
	size_t k = strlen(name);

	if (n != k)
		return false;
	for (size_t i = 0; i < n; i++)
		if (ascii_lower(s[i]) != (unsigned char)name[i])
			return false;
	return true;
}

/* Like scan_attrs, remembering the attributes of interest. */
static size_t parse_attrs(const unsigned char *s, size_t n, size_t k, struct tag_attrs *a)
{
	memset(a, 0, sizeof(*a));
	for (;;) {
		size_t an, anl, vs = 0, vl = 0;

		while (k < n && (is_html_space(s[k]) || s[k] == '/')) {
			a->self_closing = s[k] == '/';
			k++;
		}
		if (k >= n)
			return 0;
		if (s[k] == '>')
			return k + 1;
		a->self_closing = false;
		an = k++;
		while (k < n && !is_html_space(s[k]) && s[k] != '/' && s[k] != '>' && s[k] != '=')
			k++;
		anl = k - an;
		while (k < n && is_html_space(s[k]))
			k++;
		if (k < n && s[k] == '=') {
			k++;
			while (k < n && is_html_space(s[k]))
				k++;
			if (k < n && (s[k] == '"' || s[k] == '\'')) {
				const unsigned char *q = memchr(s + k + 1, s[k], n - k - 1);

				if (q == NULL)
					return 0;
				vs = k + 1;
				vl = (size_t)(q - s) - vs;
				k = (size_t)(q - s) + 1;
			} else {
				vs = k;
				while (k < n && !is_html_space(s[k]) && s[k] != '>')
					k++;
				vl = k - vs;
			}
		}
#define GRAB(attr, field)                                                                          \
	if (name_is(s + an, anl, attr) && a->field == NULL) {                                     \
		a->field = s + vs;                                                                 \
		a->field##_len = vl;                                                               \
	}
		GRAB("style", style)
		GRAB("dir", dir)
		GRAB("alt", alt)
		GRAB("title", title)
		GRAB("value", value)
		GRAB("width", width)
		GRAB("height", height)
		GRAB("href", href)
#undef GRAB
		if (name_is(s + an, anl, "hidden"))
			a->hidden = true;
	}
}

/* The number after "prop:" in a compacted, lower-cased style, as a size in
 * CSS px (pt, em and % converted at 16 px to 1 em); -1 when absent. */
static double style_size(const char *st, const char *prop)
{
	const char *p = st;
	size_t pl = strlen(prop);

	while ((p = strstr(p, prop)) != NULL) {
		if (p == st || p[-1] == ';' || p[-1] == '{') {
			char *end;
			double v = strtod(p + pl, &end);

			if (end == p + pl)
				return -1;
			if (strncmp(end, "pt", 2) == 0)
				v *= 4.0 / 3.0;
			else if (strncmp(end, "em", 2) == 0 || strncmp(end, "rem", 3) == 0)
				v *= 16;
			else if (*end == '%')
				v *= 0.16;
			return v < 0 ? 0 : v;
		}
		p += pl;
	}
	return -1;
}

static bool style_has(const char *st, const char *decl)
{
	const char *p = st;
	size_t dl = strlen(decl);

	while ((p = strstr(p, decl)) != NULL) {
		if ((p == st || p[-1] == ';') && (p[dl] == '\0' || p[dl] == ';' || p[dl] == '!'))
			return true;
		p += dl;
	}
	return false;
}

/* A dimension attribute of "0" or "0px". */
static bool attr_zero(const unsigned char *v, size_t n)
{
	return v != NULL && n >= 1 && v[0] == '0' && (n == 1 || (n == 3 && v[1] == 'p' && v[2] == 'x'));
}

/* Fills the visibility of element e from its attributes. */
static void element_style(struct disp_el *e, const struct tag_attrs *a)
{
	char st[STYLE_MAX + 1];
	size_t o = 0;
	double fs, w, h;

	e->none = a->hidden;
	e->vis = -1;
	e->fs0 = -1;
	if (a->style) {
		for (size_t i = 0; i < a->style_len && o < STYLE_MAX; i++)
			if (!is_html_space(a->style[i]))
				st[o++] = (char)ascii_lower(a->style[i]);
		st[o] = '\0';
		if (style_has(st, "display:none") || style_has(st, "mso-hide:all") ||
		    style_has(st, "opacity:0") || style_has(st, "max-height:0") ||
		    style_has(st, "max-height:0px") || style_has(st, "max-width:0") ||
		    style_has(st, "max-width:0px"))
			e->none = 1;
		if (style_has(st, "visibility:hidden") || style_has(st, "visibility:collapse"))
			e->vis = 0;
		else if (style_has(st, "visibility:visible"))
			e->vis = 1;
		fs = style_size(st, "font-size:");
		if (fs >= 0)
			e->fs0 = fs < 2 ? 1 : 0;
		w = style_size(st, "width:");
		h = style_size(st, "height:");
		if ((w == 0 || h == 0) && strstr(st, "overflow:hidden") != NULL)
			e->none = 1;
	}
	if ((attr_zero(a->width, a->width_len) || attr_zero(a->height, a->height_len)) && a->style &&
	    strstr(st, "overflow:hidden") != NULL)
		e->none = 1;
}

static bool is_void(const unsigned char *s, size_t n)
{
	static const char *const v[] = {"area", "base", "br", "col", "embed", "hr", "img", "input",
					"keygen", "link", "meta", "param", "source", "track", "wbr"};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (name_is(s, n, v[i]))
			return true;
	return false;
}

/* Is text at the top of the stack hidden? */
static bool stack_hidden(const struct disp_el *st, size_t depth)
{
	int vis = 1, fs0 = 0;

	for (size_t i = 0; i < depth; i++) {
		if (st[i].none)
			return true;
		if (st[i].vis >= 0)
			vis = st[i].vis;
		if (st[i].fs0 >= 0)
			fs0 = st[i].fs0;
	}
	return !vis || fs0;
}

static int put_attr_line(struct em_buf *b, const unsigned char *v, size_t n)
{
	if (b == NULL || v == NULL || n == 0)
		return 0;
	if (put_text(v, n, 1, b) < 0 || em_buf_putc(b, '\n') < 0)
		return -1;
	return 0;
}

/*
 * See em_html.h. The same tokenizer as em_html_to_text, with a stack of open
 * elements (DISP_STACK deep; deeper elements are not tracked) that carries
 * inherited visibility. Appends to out and attrs (owned by the caller).
 */
int em_html_display(const char *in, size_t len, struct em_buf *out, struct em_buf *attrs)
{
	const unsigned char *s = (const unsigned char *)in;
	struct cmt_cache cc = {0, 0, 0};
	struct disp_el *st;
	size_t i = 0, depth = 0;
	bool hidden = false;
	int changed = 0, rc = -1;

	st = malloc(DISP_STACK * sizeof(*st));
	if (st == NULL)
		return -1;
	while (i < len) {
		const unsigned char *lt = memchr(s + i, '<', len - i);
		size_t p = lt ? (size_t)(lt - s) : len, k, name, end;
		const struct tag_info *t;
		struct tag_attrs a;
		int closing;

		if (hidden) {
			for (size_t x = i; x < p; x++)
				if (!is_html_space(s[x])) {
					changed = 1;
					break;
				}
		} else if (put_text(s + i, p - i, 1, out) < 0) {
			goto done;
		}
		i = p;
		if (i >= len)
			break;
		if (i + 1 >= len) {
			if (!hidden && em_buf_putc(out, '<') < 0)
				goto done;
			break;
		}
		if (s[i + 1] == '!') {
			if (len - i >= 4 && s[i + 2] == '-' && s[i + 3] == '-')
				i = skip_comment(s, len, i, &cc);
			else if (len - i >= 9 && memcmp(s + i + 2, "[CDATA[", 7) == 0)
				i = (k = find_str(s, len, i + 9, "]]>")) < len ? k + 3 : len;
			else
				i = skip_past_gt(s, len, i + 2);
			continue;
		}
		if (s[i + 1] == '?') {
			i = skip_past_gt(s, len, i + 2);
			continue;
		}
		closing = s[i + 1] == '/';
		name = i + 1 + (size_t)closing;
		if (closing && name < len && s[name] == '>') {
			i = name + 1;
			continue;
		}
		if (closing && name < len && !is_alpha(s[name])) {
			i = skip_past_gt(s, len, name);
			continue;
		}
		if (name >= len || !is_alpha(s[name])) {
			if (!hidden && em_buf_putc(out, '<') < 0)
				goto done;
			i++;
			continue;
		}
		for (k = name; k < len && !is_html_space(s[k]) && s[k] != '/' && s[k] != '>'; k++)
			;
		t = tag_find(s + name, k - name);
		end = parse_attrs(s, len, k, &a);
		if (end == 0) {
			rc = hidden ? 0 : put_text(s + i, len - i, 1, out);
			goto done;
		}
		i = end;
		if (t != NULL && layout_break(t, closing, s, len, i, out) < 0)
			goto done;
		if (closing) {
			/* close the nearest open element of that name */
			for (size_t d = depth; d-- > 0;) {
				if (!name_is(s + name, k - name, st[d].name))
					continue;
				while (depth > d) {
					depth--;
					if (st[depth].rtl && em_buf_puts(out, "\xe2\x80\xac") < 0)
						goto done;
				}
				break;
			}
			hidden = stack_hidden(st, depth);
			continue;
		}
		/* text a reader sees in attributes */
		if (put_attr_line(attrs, a.title, a.title_len) < 0 ||
		    put_attr_line(attrs, a.alt, a.alt_len) < 0 ||
		    put_attr_line(attrs, a.href, a.href_len) < 0) /* a link's target */
			goto done;
		if (!hidden && a.alt && a.alt_len && name_is(s + name, k - name, "img")) {
			changed = 1;
			if (put_text(a.alt, a.alt_len, 1, out) < 0)
				goto done;
		}
		if (!hidden && a.value && a.value_len && name_is(s + name, k - name, "input")) {
			changed = 1;
			if (put_text(a.value, a.value_len, 1, out) < 0)
				goto done;
		}
		if (!is_void(s + name, k - name) && !a.self_closing && depth < DISP_STACK &&
		    k - name <= TAG_MAX_NAME) {
			struct disp_el *e = &st[depth++];

			for (size_t x = 0; x < k - name; x++)
				e->name[x] = (char)ascii_lower(s[name + x]);
			e->name[k - name] = '\0';
			element_style(e, &a);
			e->rtl = a.dir && a.dir_len == 3 && name_is(a.dir, 3, "rtl");
			if (e->rtl) {
				changed = 1;
				if (em_buf_puts(out, "\xe2\x80\xae") < 0)
					goto done;
			}
			hidden = stack_hidden(st, depth);
		}
		if (t == NULL || t->mode == TAG_PLAIN)
			continue;
		if (t->mode == TAG_PLAINTEXT) {
			rc = hidden ? 0 : put_text(s + i, len - i, 0, out);
			goto done;
		}
		k = find_end_tag(s, len, i, t->name);
		if (t->mode != TAG_SKIP && !hidden &&
		    put_text(s + i, k - i, t->mode == TAG_RCDATA, out) < 0)
			goto done;
		i = k;
	}
	rc = 0;
done:
	free(st);
	return rc < 0 ? -1 : changed;
}
