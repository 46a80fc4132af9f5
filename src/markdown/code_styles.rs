//! What highlighted code looks like: the style a scope stack gets in each code theme,
//! the one class per distinct pair of light and dark styles that the markup carries, and
//! the stylesheet made from the same table.
//!
//! A theme's items apply to scope stacks the way a stylesheet applies to nested
//! elements: an item's scope selector (`keyword.operator`, `source.python
//! meta.function-call`) matches a scope whose atoms include each of its own, below
//! scopes that match the selector's earlier parts; among the items matching one scope,
//! the one with the most atoms wins each property, and the later one on a tie; colour,
//! bold and italic pass down to inner scopes, an underline covers them, and the innermost
//! background shows. Selectors with exclusions (`- string`) are left out. Colours too
//! faint against their background are darkened or lightened to WCAG AA contrast.

use std::fmt::Write as _;

use syntect::highlighting::{Color, FontStyle, Theme};
use syntect::parsing::Scope;

/// Minimum contrast of code colours against the code background (WCAG AA, normal text).
const MIN_CONTRAST: f64 = 4.5;

/// How a run of code looks in one theme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Look {
    /// The text colour.
    pub color: Color,
    /// The background, where it differs from the code block's.
    pub background: Option<Color>,
    /// `font-weight: bold`.
    pub bold: bool,
    /// `font-style: italic`.
    pub italic: bool,
    /// `text-decoration: underline`.
    pub underline: bool,
}

/// What one theme item declares.
#[derive(Clone, Copy, Debug, Default)]
struct Declared {
    color: Option<Color>,
    background: Option<Color>,
    bold: bool,
    italic: bool,
    underline: bool,
}

/// One theme item: its selectors (each a path of scopes, outermost first) and what it
/// declares.
#[derive(Debug)]
struct Rule {
    selectors: Vec<Vec<Scope>>,
    declared: Declared,
}

/// One code theme, read as rules.
#[derive(Debug)]
pub struct ThemeRules {
    background: Color,
    foreground: Color,
    rules: Vec<Rule>,
}

/// Whether the scope `element` has every atom of `compound`, in any order.
fn has_atoms(element: Scope, compound: Scope) -> bool {
    let atoms = |s: Scope| (0..s.len() as usize).map(move |i| s.atom_at(i));
    atoms(compound).all(|atom| atoms(element).any(|a| a == atom))
}

/// Whether `selector` matches the scope at `stack[level]`: its last part matches that
/// scope, its earlier parts match scopes below it, in order.
fn matches(selector: &[Scope], stack: &[Scope], level: usize) -> bool {
    let Some((last, earlier)) = selector.split_last() else { return false };
    if !has_atoms(stack[level], *last) {
        return false;
    }
    let mut next = 0;
    for &outer in &stack[..level] {
        if next < earlier.len() && has_atoms(outer, earlier[next]) {
            next += 1;
        }
    }
    next == earlier.len()
}

/// Atoms of a selector path: how specific it is (a selector with more wins).
fn specificity(selector: &[Scope]) -> u32 {
    selector.iter().map(|s| s.len()).sum()
}

impl ThemeRules {
    /// Reads `theme`'s items as rules.
    pub fn new(theme: &Theme) -> ThemeRules {
        let background = theme.settings.background.unwrap_or(Color::WHITE);
        let foreground = readable(theme.settings.foreground.unwrap_or(Color::BLACK), background);
        let mut rules = Vec::new();
        for item in &theme.scopes {
            let selectors: Vec<Vec<Scope>> = item
                .scope
                .selectors
                .iter()
                .filter(|s| s.excludes.is_empty())
                .map(|s| s.extract_scopes())
                .filter(|path| !path.is_empty())
                .collect();
            if selectors.is_empty() {
                continue;
            }
            let mut declared = Declared::default();
            if let Some(fg) = item.style.foreground {
                declared.color = Some(readable(fg, item.style.background.unwrap_or(background)));
            }
            if let Some(bg) = item.style.background {
                if bg.a > 0 && bg != background {
                    declared.background = Some(bg);
                }
            }
            if let Some(style) = item.style.font_style {
                declared.bold = style.contains(FontStyle::BOLD);
                declared.italic = style.contains(FontStyle::ITALIC);
                declared.underline = style.contains(FontStyle::UNDERLINE);
            }
            rules.push(Rule { selectors, declared });
        }
        ThemeRules { background, foreground, rules }
    }

    /// How code outside any scope looks.
    pub fn plain(&self) -> Look {
        Look {
            color: self.foreground,
            background: None,
            bold: false,
            italic: false,
            underline: false,
        }
    }

    /// How code with the scope stack `stack` (outermost first) looks.
    pub fn look(&self, stack: &[Scope]) -> Look {
        let mut look = self.plain();
        for level in 0..stack.len() {
            // The winning declaration of each property at this level: (specificity, order).
            let mut color: Option<(u32, Color)> = None;
            let mut background: Option<(u32, Color)> = None;
            for rule in &self.rules {
                let Some(spec) = rule
                    .selectors
                    .iter()
                    .filter(|s| matches(s, stack, level))
                    .map(|s| specificity(s))
                    .max()
                else {
                    continue;
                };
                let d = &rule.declared;
                // Later rules win ties: `>=`.
                if let Some(c) = d.color {
                    if color.is_none_or(|(best, _)| spec >= best) {
                        color = Some((spec, c));
                    }
                }
                if let Some(b) = d.background {
                    if background.is_none_or(|(best, _)| spec >= best) {
                        background = Some((spec, b));
                    }
                }
                look.bold |= d.bold;
                look.italic |= d.italic;
                look.underline |= d.underline;
            }
            if let Some((_, c)) = color {
                look.color = c;
            }
            if let Some((_, b)) = background {
                look.background = Some(b);
            }
        }
        look
    }
}

/// The two themes' looks of a run of code: light, dark.
pub type Pair = (Look, Look);

/// The classes of one theme: its colours and backgrounds in the order its items first
/// declare them (the foreground first), and the font styles it declares at all.
#[derive(Debug)]
struct Palette {
    colors: Vec<Color>,
    backgrounds: Vec<Color>,
    /// Bold 1, italic 2, underline 4: the flags some item declares.
    flags: u8,
}

impl Palette {
    fn new(theme: &ThemeRules) -> Palette {
        let mut colors = vec![theme.foreground];
        let mut backgrounds = Vec::new();
        let mut flags = 0;
        for rule in &theme.rules {
            let d = &rule.declared;
            if let Some(c) = d.color.filter(|c| !colors.contains(c)) {
                colors.push(c);
            }
            if let Some(b) = d.background.filter(|b| !backgrounds.contains(b)) {
                backgrounds.push(b);
            }
            flags |= flag_bits(d.bold, d.italic, d.underline);
        }
        Palette { colors, backgrounds, flags }
    }

    /// Letters per index: one for up to 52 entries, two beyond.
    fn width(len: usize) -> usize {
        if len <= LETTERS.len() { 1 } else { 2 }
    }

    fn letters(out: &mut String, index: usize, len: usize) {
        let letter = |i: usize| LETTERS[i % LETTERS.len()] as char;
        if Self::width(len) == 2 {
            out.push(letter(index / LETTERS.len()));
        }
        out.push(letter(index));
    }

    fn color_index(&self, c: Color) -> usize {
        self.colors.iter().position(|&x| x == c).unwrap_or(0)
    }

    /// The extra class of a look (`l` or `d`, then its flags as a digit, then its
    /// background's letters), or none for a plain one.
    fn extra(&self, prefix: char, look: &Look, out: &mut String) {
        let flags = flag_bits(look.bold, look.italic, look.underline);
        if flags == 0 && look.background.is_none() {
            return;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push(prefix);
        out.push(char::from(b'0' + flags));
        if let Some(bg) = look.background {
            let index = self.backgrounds.iter().position(|&x| x == bg).unwrap_or(0);
            Self::letters(out, index, self.backgrounds.len());
        }
    }
}

/// The letters of class names, in order: a class is a name, so no digit leads.
const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

fn flag_bits(bold: bool, italic: bool, underline: bool) -> u8 {
    u8::from(bold) | u8::from(italic) << 1 | u8::from(underline) << 2
}

/// The class table of a pair of code themes, made from the themes alone, so that it names
/// every look code can take and the stylesheet made from it fits any code:
///
/// - `c` then a letter for the light colour and a letter for the dark colour (`cak`), by
///   their places in each theme's colours (two letters each past 52 colours). Code in
///   both themes' plain colour (`caa`) gets no class at all.
/// - `l` (light) or `d` (dark), then bold 1 + italic 2 + underline 4 as a digit, then a
///   background's letter if any (`l2`: italic in the light theme; `d0a`: the dark
///   theme's first background), only for looks that have any.
#[derive(Debug)]
pub struct ClassTable {
    light: ThemeRules,
    dark: ThemeRules,
    light_palette: Palette,
    dark_palette: Palette,
}

impl ClassTable {
    /// The table of these themes.
    pub fn new(light: &Theme, dark: &Theme) -> ClassTable {
        let light = ThemeRules::new(light);
        let dark = ThemeRules::new(dark);
        let light_palette = Palette::new(&light);
        let dark_palette = Palette::new(&dark);
        ClassTable { light, dark, light_palette, dark_palette }
    }

    /// The pair of looks of `stack`.
    pub fn pair(&self, stack: &[Scope]) -> Pair {
        (self.light.look(stack), self.dark.look(stack))
    }

    /// The classes of `pair`, space-separated; empty for code in the plain colours.
    pub fn classes(&self, (light, dark): &Pair) -> String {
        let mut out = String::new();
        let (l, d) = (&self.light_palette, &self.dark_palette);
        let (li, di) = (l.color_index(light.color), d.color_index(dark.color));
        if li != 0 || di != 0 {
            out.push('c');
            Palette::letters(&mut out, li, l.colors.len());
            Palette::letters(&mut out, di, d.colors.len());
        }
        l.extra('l', light, &mut out);
        d.extra('d', dark, &mut out);
        out
    }

    /// Whether whitespace in this look may take its neighbours' classes: nothing shows
    /// of it but a background or an underline.
    pub fn blank_is_plain((light, dark): &Pair) -> bool {
        light.background.is_none()
            && dark.background.is_none()
            && !light.underline
            && !dark.underline
    }

    /// The stylesheet of the table: the light theme, then the dark theme under
    /// `prefers-color-scheme: dark`, each in its own media block, so that no light rule
    /// can win over a dark one. Print takes the light theme.
    pub fn stylesheet(&self, names: (&str, &str)) -> String {
        let mut css = format!(
            "/* Code highlighting, generated by verdict from the code themes {} (light) and {} (dark).\n   \
             Classes: c + light colour letter + dark colour letter; l (light) or d (dark) +\n   \
             bold 1 + italic 2 + underline 4 + background letter. */\n",
            names.0, names.1
        );
        let (l, d) = (&self.light_palette, &self.dark_palette);
        // One rule per colour of the theme, over every class that names it.
        let pairs = |out: &mut String, dark: bool| {
            let (own, other) = if dark { (d, l) } else { (l, d) };
            for (i, color) in own.colors.iter().enumerate() {
                out.push_str("pre.code :is(");
                let mut first = true;
                for j in 0..other.colors.len() {
                    let (li, di) = if dark { (j, i) } else { (i, j) };
                    if li == 0 && di == 0 {
                        continue;
                    }
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    out.push_str(".c");
                    Palette::letters(out, li, l.colors.len());
                    Palette::letters(out, di, d.colors.len());
                }
                let _ = writeln!(out, ") {{ color: {}; }}", hex(*color));
            }
        };
        let extras = |out: &mut String, prefix: char, palette: &Palette| {
            let mut backgrounds: Vec<Option<usize>> = vec![None];
            backgrounds.extend((0..palette.backgrounds.len()).map(Some));
            for flags in 0..8u8 {
                if flags & !palette.flags != 0 {
                    continue;
                }
                for &bg in &backgrounds {
                    if flags == 0 && bg.is_none() {
                        continue;
                    }
                    let _ = write!(out, "pre.code .{prefix}{flags}");
                    if let Some(i) = bg {
                        Palette::letters(out, i, palette.backgrounds.len());
                    }
                    out.push('{');
                    if flags & 1 != 0 {
                        out.push_str("font-weight:bold;");
                    }
                    if flags & 2 != 0 {
                        out.push_str("font-style:italic;");
                    }
                    if flags & 4 != 0 {
                        out.push_str("text-decoration:underline;");
                    }
                    if let Some(i) = bg {
                        let _ = write!(out, "background-color:{};", hex(palette.backgrounds[i]));
                    }
                    out.push_str("}\n");
                }
            }
        };
        for (dark, theme, palette, prefix) in
            [(false, &self.light, l, 'l'), (true, &self.dark, d, 'd')]
        {
            css.push_str(if dark {
                "@media screen and (prefers-color-scheme: dark) {\n"
            } else {
                "@media print, not all and (prefers-color-scheme: dark) {\n"
            });
            let _ = writeln!(
                css,
                "pre.code {{ color: {}; background-color: {}; }}",
                hex(theme.foreground),
                hex(theme.background)
            );
            pairs(&mut css, dark);
            extras(&mut css, prefix, palette);
            css.push_str("}\n");
        }
        css
    }
}

/// `#rrggbb`.
pub fn hex(c: Color) -> String {
    let mut s = String::with_capacity(7);
    let _ = write!(s, "#{:02x}{:02x}{:02x}", c.r, c.g, c.b);
    s
}

/// WCAG relative luminance.
fn luminance(c: Color) -> f64 {
    let channel = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.03928 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
}

/// The WCAG contrast ratio of two colours.
pub fn contrast(a: Color, b: Color) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `fg`, mixed towards black (on light backgrounds) or white (on dark ones) just enough to
/// reach WCAG AA contrast (4.5) against `bg`.
pub fn readable(fg: Color, bg: Color) -> Color {
    if contrast(fg, bg) >= MIN_CONTRAST {
        return fg;
    }
    let target = if luminance(bg) > 0.4 { 0.0 } else { 255.0 };
    let mix = |v: u8, t: f64| (f64::from(v) + (target - f64::from(v)) * t).round() as u8;
    let mut step = 0.05;
    while step <= 1.0 {
        let c = Color { r: mix(fg.r, step), g: mix(fg.g, step), b: mix(fg.b, step), a: 255 };
        if contrast(c, bg) >= MIN_CONTRAST {
            return c;
        }
        step += 0.05;
    }
    Color { r: target as u8, g: target as u8, b: target as u8, a: 255 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raises_faint_colours_to_aa_contrast() {
        let white = Color::WHITE;
        let faint = Color { r: 200, g: 200, b: 200, a: 255 };
        assert!(contrast(readable(faint, white), white) >= MIN_CONTRAST);
    }
}
