; Included by electron-builder's NSIS scripts (electron-builder.yml: nsis, include resources/build/installer.nsh).
; The uninstaller keeps the workstation's data (database, settings: %APPDATA%\Tirkeu of the user who uninstalls)
; unless that user says to delete it; default No, and a silent or update uninstall never deletes it
; (`--delete-app-data` on the command line still does). NSIS has no Kazakh language file, so the installer and
; this question speak Russian (the default) or English (issue 17).

LangString TirkeuDeleteData 1049 "Удалить также данные рабочего места (базу данных и настройки)?$\r$\nОбычно они сохраняются: после повторной установки Тіркеу продолжит с ними."
LangString TirkeuDeleteData 1033 "Also delete this workstation's data (the database and settings)?$\r$\nNormally it is kept: Tirkeu reinstalled carries on with it."

!macro customUnInstall
  ${ifNot} ${isUpdated}
    MessageBox MB_YESNO|MB_ICONQUESTION|MB_DEFBUTTON2 "$(TirkeuDeleteData)" /SD IDNO IDNO tirkeu_keep_data
      SetShellVarContext current
      RMDir /r "$APPDATA\${APP_FILENAME}"
      ${if} $installMode == "all"
        SetShellVarContext all
      ${endif}
    tirkeu_keep_data:
  ${endIf}
!macroend
