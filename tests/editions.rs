//! `check` and `diff` on the command line: a golden file with one changed character is
//! caught and placed; two editions of an agreement differ in exactly what was edited.

mod common;

use common::{bin, scratch};

const FIXTURE: &str = "fixtures/arkisto-tulossopimus-2026-2029.txt";

#[test]
fn check_catches_one_changed_character_and_says_where() {
    let dir = scratch("check");
    let golden =
        std::fs::read_to_string("golden/arkisto-tulossopimus-2026-2029.json").expect("golden");
    assert!(golden.contains("\"raw\": \"≥ 85\""));
    std::fs::write(
        dir.join("arkisto-tulossopimus-2026-2029.json"),
        golden.replacen("\"raw\": \"≥ 85\"", "\"raw\": \"≥ 86\"", 1),
    )
    .expect("write");
    let out = bin()
        .arg("check")
        .arg("--golden")
        .arg(&dir)
        .arg(FIXTURE)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("indicator 'Palveluun tyytyväisten asiakkaiden osuus' > value 2027: raw: '≥ 86' became '≥ 85'"),
        "{text}"
    );
    assert!(text.contains("1 difference(s)"), "{text}");

    let same = bin()
        .args(["check", "--golden", "golden", FIXTURE])
        .output()
        .expect("runs");
    assert_eq!(
        same.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&same.stdout)
    );

    let bless = bin()
        .arg("check")
        .arg("--bless")
        .arg("--golden")
        .arg(&dir)
        .arg(FIXTURE)
        .output()
        .expect("runs");
    assert_eq!(bless.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.join("arkisto-tulossopimus-2026-2029.json")).expect("blessed"),
        golden
    );
    let missing = bin()
        .arg("check")
        .arg("--golden")
        .arg(dir.join("none"))
        .arg(FIXTURE)
        .output()
        .expect("runs");
    assert_eq!(missing.status.code(), Some(1));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The golden file names its input `fixtures/...`; the same file spelled otherwise, or
/// checked from another directory, is still the same conversion, and a bless from there
/// keeps the golden file's spelling.
#[test]
fn check_does_not_depend_on_how_the_input_path_is_spelled() {
    let root = std::env::current_dir().expect("cwd");
    let golden = root.join("golden");
    let absolute = root.join(FIXTURE);
    let dotted = format!("./{FIXTURE}");
    let elsewhere = scratch("check-spelling");
    let runs: [(&std::path::Path, &std::ffi::OsStr); 3] = [
        (&root, dotted.as_ref()),
        (&root, absolute.as_os_str()),
        (&elsewhere, absolute.as_os_str()),
    ];
    for (cwd, input) in runs {
        let out = bin()
            .current_dir(cwd)
            .arg("check")
            .arg("--golden")
            .arg(&golden)
            .arg(input)
            .output()
            .expect("runs");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{input:?} from {cwd:?}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    let copy = elsewhere.join("golden");
    std::fs::create_dir_all(&copy).expect("mkdir");
    let name = "arkisto-tulossopimus-2026-2029.json";
    let original = std::fs::read_to_string(golden.join(name)).expect("golden");
    // A real difference to bless, so that the file is written again.
    std::fs::write(copy.join(name), original.replacen("≥ 85", "≥ 86", 1)).expect("write");
    let bless = bin()
        .current_dir(&elsewhere)
        .args(["check", "--bless", "--golden", "golden"])
        .arg(&absolute)
        .output()
        .expect("runs");
    assert_eq!(bless.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(copy.join(name)).expect("blessed"),
        original
    );
    let _ = std::fs::remove_dir_all(&elsewhere);
}

#[test]
fn diff_of_two_editions_reports_exactly_the_edits() {
    let dir = scratch("diff");
    let old = std::fs::read_to_string(FIXTURE).expect("fixture");
    // Next year's edition: a changed value, an added goal, a reworded target.
    let new = old
        .replacen("≥ 85 ", "≥ 87 ", 1)
        .replacen(
            " Arkistotoimi uudistuu yhteistyössä \n\n",
            " Arkistotoimi uudistuu yhteistyössä \n\n Uusi tavoite: asiakirjojen luovutus on sähköistä. \n\n Tavoite 2027 Luovutukset tehdään sähköisesti. \n\n",
            1,
        )
        .replacen("ja rajapintojen käyttöä seurataan kuukausittain.", "ja rajapintojen käyttöä seurataan viikoittain.", 1);
    assert_ne!(old, new);
    let (old_path, new_path) = (dir.join("2026.txt"), dir.join("2027.txt"));
    std::fs::write(&old_path, &old).expect("write");
    std::fs::write(&new_path, &new).expect("write");
    // One side as converted JSON, the other as text: both are accepted.
    let json = bin().arg("convert").arg(&old_path).output().expect("runs");
    let old_json = dir.join("2026.json");
    std::fs::write(&old_json, &json.stdout).expect("write");

    let out = bin()
        .arg("diff")
        .arg(&old_json)
        .arg(&new_path)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        lines,
        vec![
            "strategic line 'Aineistot ovat kaikkien saatavilla ja hyödynnettävissä' > goal 'Asiakkaat löytävät ja saavat tarvitsemansa aineistot vaivattomasti.' > indicator 'Palveluun tyytyväisten asiakkaiden osuus' > value 2027: value changed '≥ 85' became '≥ 87'",
            "strategic line 'Aineistot ovat kaikkien saatavilla ja hyödynnettävissä' > goal 'Arkistoaineistoja avataan koneluettavina avoimien rajapintojen kautta.' > target 2026: target changed 'Vähintään 20 tutkimuskäytön kannalta keskeistä aineistokokonaisuutta on avattu koneluettavina, ja rajapintojen käyttöä seurataan kuukausittain.' became 'Vähintään 20 tutkimuskäytön kannalta keskeistä aineistokokonaisuutta on avattu koneluettavina, ja rajapintojen käyttöä seurataan viikoittain.'",
            "strategic line 'Arkistotoimi uudistuu yhteistyössä' > goal 'Uusi tavoite: asiakirjojen luovutus on sähköistä.': added 'Uusi tavoite: asiakirjojen luovutus on sähköistä.'",
        ],
        "{lines:#?}"
    );

    let json_out = bin()
        .arg("diff")
        .arg("--json")
        .arg(&old_path)
        .arg(&new_path)
        .output()
        .expect("runs");
    let changes: Vec<serde_json::Value> = serde_json::from_slice(&json_out.stdout).expect("JSON");
    let kinds: Vec<&str> = changes
        .iter()
        .map(|c| c["change"].as_str().expect("change"))
        .collect();
    assert_eq!(kinds, vec!["value_changed", "target_changed", "added"]);

    let none = bin()
        .arg("diff")
        .arg(&old_path)
        .arg(&old_path)
        .output()
        .expect("runs");
    assert_eq!(String::from_utf8_lossy(&none.stdout).trim(), "no changes");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_reworded_and_moved_goal_is_matched_by_similarity() {
    let dir = scratch("reword");
    let old = std::fs::read_to_string(FIXTURE).expect("fixture");
    let new = old.replacen(
        " Kansainvälinen yhteistyö vahvistaa digitaalisen säilytyksen osaamista. ",
        " Kansainvälinen yhteistyö vahvistaa digitaalisen säilytyksen osaamista ja palveluja. ",
        1,
    );
    let (old_path, new_path) = (dir.join("a.txt"), dir.join("b.txt"));
    std::fs::write(&old_path, &old).expect("write");
    std::fs::write(&new_path, &new).expect("write");
    let out = bin()
        .arg("diff")
        .arg(&old_path)
        .arg(&new_path)
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("reworded 'Kansainvälinen yhteistyö vahvistaa digitaalisen säilytyksen osaamista.' became 'Kansainvälinen yhteistyö vahvistaa digitaalisen säilytyksen osaamista ja palveluja.'"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_goal_moved_to_another_strategic_line_is_reported_as_moved() {
    let dir = scratch("move");
    let old = std::fs::read_to_string(FIXTURE).expect("fixture");
    let goal = " Toiminnan kustannukset pysyvät kehyksen mukaisina. \n\n";
    let start = old.find(goal).expect("goal");
    let target = start + old[start..].find(" Tavoite 2026").expect("its target");
    let end = target + old[target..].find("\n\n ").expect("next row") + 2;
    let block = old[start..end].to_owned();
    assert!(block.contains("Tavoite 2026"), "{block}");
    let mut new = old.clone();
    new.replace_range(start..end, "");
    let anchor = " Arkistotoimi uudistuu yhteistyössä \n\n";
    let at = new.find(anchor).expect("anchor") + anchor.len();
    new.insert_str(at, &block);
    let (old_path, new_path) = (dir.join("a.txt"), dir.join("b.txt"));
    std::fs::write(&old_path, &old).expect("write");
    std::fs::write(&new_path, &new).expect("write");
    let out = bin()
        .arg("diff")
        .arg("--json")
        .arg(&old_path)
        .arg(&new_path)
        .output()
        .expect("runs");
    let changes: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("JSON");
    let kinds: Vec<(&str, &str)> = changes
        .iter()
        .map(|c| {
            (
                c["change"].as_str().expect("change"),
                c["new"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        vec![("moved", "Arkistotoimi uudistuu yhteistyössä")],
        "{changes:#?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
