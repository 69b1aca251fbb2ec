if (-not (Test-ADServiceAccount -Identity 'gmsa-reports')) {
    Install-ADServiceAccount -Identity 'gmsa-reports'
